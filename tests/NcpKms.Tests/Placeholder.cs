namespace NcpKms.Tests;
public sealed class BuildSmoke { [Xunit.Fact] public void Builds() => Xunit.Assert.True(true); }
