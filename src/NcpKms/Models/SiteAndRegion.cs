namespace NcpKms;

/// <summary>NCP sites that run KMS API 2.0.</summary>
public enum NcpSite
{
    Public,
    Gov,
}

/// <summary>KMS key boundaries: global keys, or keys isolated in one region.</summary>
public enum NcpRegion
{
    Global,
    KR,
    JP,
}
