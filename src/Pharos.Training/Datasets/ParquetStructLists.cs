// Parquet columns that are lists of structs of strings, as the Hugging Face hub stores chat data: `messages` is
// list<struct<content: string, role: string>>. Each row becomes a JSON array of objects, exactly what the same record's
// JSONL `messages` holds; rows are rebuilt from the leaf columns' repetition and definition levels (Dremel encoding).
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace Pharos.Training.Datasets;

internal static class ParquetStructLists
{
    /// <summary>A list whose items are structs with at least one string field (other fields are left out).</summary>
    public static bool Reads(Field field) => field is ListField { Item: StructField s } && s.Fields.Any(IsString);

    /// <returns>one entry per row: the array, or null where the row's list is null</returns>
    public static JsonArray?[] Read(ParquetRowGroupReader group, ListField field, int rows)
    {
        var item = (StructField)field.Item;
        var leaves = item.Fields.Where(IsString).Cast<DataField>().Select(f => Leaf.Read(group, f)).ToArray();
        var result = new JsonArray?[rows];
        int row = -1;
        var cursors = new int[leaves.Length];
        int entries = leaves[0].Definitions.Length;
        for (int i = 0; i < entries; i++)
        {
            int def = leaves[0].Definitions[i];
            if (leaves[0].Repetitions[i] == 0) row++;
            // Below the list's own level the row has no element: one level below is an empty list, further a null one.
            if (def < field.MaxDefinitionLevel)
            {
                result[row] = def == field.MaxDefinitionLevel - 1 ? [] : null;
                continue;
            }
            var array = result[row] ??= [];
            if (def < item.MaxDefinitionLevel)
            {
                array.Add(null);
                continue;
            }
            var element = new JsonObject();
            for (int l = 0; l < leaves.Length; l++)
                element[leaves[l].Name] = leaves[l].Definitions[i] == leaves[l].MaxDefinition ? leaves[l].Values[cursors[l]++] : null;
            array.Add(element);
        }
        return result;
    }

    static bool IsString(Field f) => f is DataField d && (d.ClrType == typeof(string) || d.ClrType == typeof(ReadOnlyMemory<char>));

    /// <param name="Values">the defined values only, in order</param>
    sealed record Leaf(string Name, int MaxDefinition, int[] Definitions, int[] Repetitions, string[] Values)
    {
        public static Leaf Read(ParquetRowGroupReader group, DataField field)
        {
            using var raw = (RawColumnData<ReadOnlyMemory<char>>)group.ReadRawColumnDataBaseAsync(field).GetAwaiter().GetResult();
            var values = new string[raw.Values.Length];
            for (int i = 0; i < values.Length; i++) values[i] = raw.Values[i].ToString();
            return new Leaf(field.Name, field.MaxDefinitionLevel, raw.DefinitionLevels.ToArray(), raw.RepetitionLevels.ToArray(), values);
        }
    }
}
