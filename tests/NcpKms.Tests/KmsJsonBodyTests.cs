using System.Text;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class KmsJsonBodyTests
{
    [Fact]
    public void Writes_one_object_with_the_given_fields_as_UTF8()
    {
        byte[] body = KmsJsonBody.Write(writer =>
        {
            writer.WriteString("keyName", "키-name");
            writer.WriteBoolean("isAutoRotation", false);
            writer.WriteNumber("rotationPeriod", 90);
        });

        Assert.Equal("{\"keyName\":\"\\uD0A4-name\",\"isAutoRotation\":false,\"rotationPeriod\":90}", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Writes_an_empty_object_when_there_are_no_fields()
    {
        Assert.Equal("{}", Encoding.UTF8.GetString(KmsJsonBody.Write(_ => { })));
    }
}
