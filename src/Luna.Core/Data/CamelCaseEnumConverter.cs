using System.Text.Json;
using System.Text.Json.Serialization;

namespace Luna.Core.Data;

/// <summary>Writes and reads an enum as its camelCase name (<c>Near</c> → <c>"near"</c>) in JSON manifests.</summary>
internal sealed class CamelCaseEnumConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    public CamelCaseEnumConverter()
        : base(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    {
    }
}
