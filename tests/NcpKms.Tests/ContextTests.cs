using System;
using System.Net;
using System.Net.Http;
using NcpKms.Core;
using Xunit;

namespace NcpKms.Tests;

public sealed class ContextTests
{
    private static Context Create(string? profileName = "work")
    {
        var credential = new KmsCredential(Vectors.AccessKey, Vectors.Secret, "Profile 'work' in /home/u/.ncloud/configure", profileName);
        return new Context(credential, KmsEndpoint.ForSite(NcpSite.Public, NcpRegion.KR), KmsRetryPolicy.Default,
            new HttpMessageInvoker(FakeHandler.Answering(HttpStatusCode.OK, "{}")));
    }

    [Fact]
    public void Shows_the_masked_access_key_the_endpoint_and_the_sources()
    {
        Context context = Create();

        Assert.Equal("****************EYAC", context.AccessKey);
        Assert.Equal("https://ocapi-kr.ncloud.com", context.Endpoint);
        Assert.Equal("-Site Public -Region KR", context.EndpointSource);
        Assert.Equal("Profile 'work' in /home/u/.ncloud/configure", context.CredentialSource);
        Assert.Equal("work", context.ProfileName);
        Assert.Equal("****************EYAC @ https://ocapi-kr.ncloud.com", context.ToString());
    }

    [Fact]
    public void No_public_property_or_rendering_holds_the_secret_or_the_full_access_key()
    {
        Context context = Create(null);

        foreach (var property in typeof(Context).GetProperties())
        {
            string text = property.GetValue(context)?.ToString() ?? string.Empty;
            Assert.DoesNotContain(Vectors.Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Vectors.AccessKey, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Vectors.Secret, context.ToString(), StringComparison.Ordinal);
    }
}
