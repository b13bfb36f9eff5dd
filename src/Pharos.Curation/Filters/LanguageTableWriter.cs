// Writes a language table as YAML in the shipped tables' field names (what `pharos curate calibrate` produces).
using YamlDotNet.Serialization;

namespace Pharos.Curation.Filters;

public static class LanguageTableWriter
{
    public static string ToYaml(LanguageThresholds t) =>
        "# Calibrated by `pharos curate calibrate`; fields not listed come from the shipped table of this language (FineWeb2's), then default.yaml.\n" +
        new SerializerBuilder().ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull).Build().Serialize(t);
}
