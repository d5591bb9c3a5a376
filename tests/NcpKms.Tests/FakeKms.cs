using System;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using NcpKms.Core;

namespace NcpKms.Tests;

/// <summary>A signed connection to a fake KMS that answers every request alike, for the operation tests.</summary>
internal static class FakeKms
{
    public static (KmsConnection Connection, FakeHandler Handler) Connect(string body, HttpStatusCode status = HttpStatusCode.OK)
    {
        var handler = FakeHandler.Answering(status, body);
        var connection = new KmsConnection(new KmsCredential(Vectors.AccessKey, Vectors.Secret, "unit test"),
            KmsEndpoint.Parse("https://ocapi.ncloud.com", "test"), new HttpMessageInvoker(handler));
        return (connection, handler);
    }

    public static string BodyOf(CapturedRequest request) => Encoding.UTF8.GetString(request.Body ?? Array.Empty<byte>());

    public static string Plain(SecureString secure)
    {
        IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            return Marshal.PtrToStringUni(pointer, secure.Length);
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}
