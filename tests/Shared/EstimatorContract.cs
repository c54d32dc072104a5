using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Tests;

/// <summary>
/// The contract every estimator of the library keeps, checked the way ML.NET's own <c>TestEstimatorCore</c> checks
/// its estimators:
/// <list type="number">
/// <item>the estimator's <c>GetOutputSchema(SchemaShape)</c> promises the columns that <c>Fit</c> → <c>Transform</c>
/// delivers (names, vector kind, item type, key-ness; promised annotations present), and the transformer's
/// <c>GetOutputSchema</c> equals the schema of its output;</item>
/// <item><c>Transform</c> is lazy: it opens no cursor on its input;</item>
/// <item>cursors over any single column, over none, and over the pass-through columns only read every row, with the
/// values of a cursor over all columns; columns that were not requested refuse their getters;</item>
/// <item>the row-to-row mapper (what <c>PredictionEngine</c> and transformer chains use) gives the same schema and, row by
/// row, the same values;</item>
/// <item>an input whose column has the wrong type fails at the estimator's <c>GetOutputSchema</c> and <c>Fit</c> and at the
/// transformer's <c>GetOutputSchema</c> and <c>Transform</c>, with a message naming the column.</item>
/// </list>
/// </summary>
internal static class EstimatorContract
{
    /// <summary>Checks the contract.</summary>
    /// <param name="estimator">The estimator under test.</param>
    /// <param name="validInput">Data it can be fitted on (a few rows are enough).</param>
    /// <param name="invalidInput">Data whose column <paramref name="invalidColumn"/> has a type the estimator cannot read.</param>
    /// <param name="invalidColumn">The column error messages must name.</param>
    /// <param name="tolerance">
    /// Allowed absolute difference between floating-point values computed in blocks and row by row (batched encoders
    /// and networks pad, which changes the rounding); 0 demands identical values.
    /// </param>
    public static void Check<TTransformer>(IEstimator<TTransformer> estimator, IDataView validInput, IDataView invalidInput,
        string invalidColumn, double tolerance = 0)
        where TTransformer : class, ITransformer
    {
        var promised = estimator.GetOutputSchema(Shape(validInput.Schema));
        var transformer = estimator.Fit(validInput);
        try
        {
            var counting = new CountingDataView(validInput);
            var output = transformer.Transform(counting);
            Assert.True(counting.CursorsOpened == 0, $"Transform opened {counting.CursorsOpened} cursor(s) on its input; it must be lazy.");
            AssertSameSchema(transformer.GetOutputSchema(validInput.Schema), output.Schema, "transformer.GetOutputSchema vs Transform");
            AssertKeepsPromise(promised, Shape(output.Schema));

            var visible = output.Schema.Where(c => !c.IsHidden).ToArray();
            var all = Read(output, visible);
            long? rowCount = validInput.GetRowCount();
            if (rowCount is long count) Assert.Equal(count, all.Rows);
            foreach (var column in visible)
                AssertSameValues(all, Read(output, [column]), tolerance, $"cursor over '{column.Name}' alone");
            Assert.Equal(all.Rows, Read(output, []).Rows);
            CheckPassThroughOnly(output, validInput.Schema, all, tolerance);

            Assert.True(transformer.IsRowToRowMapper, "the transformer must map row to row (PredictionEngine needs it)");
            var mapper = transformer.GetRowToRowMapper(validInput.Schema);
            AssertSameSchema(output.Schema, mapper.OutputSchema, "row-to-row mapper vs Transform");
            AssertSameValues(all, ReadThroughMapper(mapper, validInput, visible), tolerance, "row-to-row mapper");

            string quoted = $"'{invalidColumn}'";
            Assert.Contains(quoted, Assert.ThrowsAny<ArgumentException>(() => estimator.GetOutputSchema(Shape(invalidInput.Schema))).Message);
            Assert.Contains(quoted, Assert.ThrowsAny<ArgumentException>(() => Dispose(estimator.Fit(invalidInput))).Message);
            Assert.Contains(quoted, Assert.ThrowsAny<ArgumentException>(() => transformer.GetOutputSchema(invalidInput.Schema)).Message);
            Assert.Contains(quoted, Assert.ThrowsAny<ArgumentException>(() => transformer.Transform(invalidInput)).Message);
        }
        finally
        {
            Dispose(transformer);
        }
    }

    /// <summary>The estimator-time shape of <paramref name="schema"/>.</summary>
    public static SchemaShape Shape(DataViewSchema schema)
    {
        // SchemaShape.Create(DataViewSchema) is internal in ML.NET; tests reach it the way ML.NET's own tests do.
        var create = typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public, [typeof(DataViewSchema)])!;
        return (SchemaShape)create.Invoke(null, [schema])!;
    }

    private static void Dispose(object? o) => (o as IDisposable)?.Dispose();

    /// <summary>A cursor over the input's columns only: they read as before, and the computed columns are inactive.</summary>
    private static void CheckPassThroughOnly(IDataView output, DataViewSchema inputSchema, Values all, double tolerance)
    {
        bool IsPassThrough(DataViewSchema.Column c) =>
            c.Index < inputSchema.Count && !inputSchema[c.Index].IsHidden && inputSchema[c.Index].Name == c.Name && inputSchema[c.Index].Type.Equals(c.Type);
        var visible = output.Schema.Where(c => !c.IsHidden).ToArray();
        var passThrough = visible.Where(IsPassThrough).ToArray();
        var computed = visible.Where(c => !IsPassThrough(c)).ToArray();
        Assert.NotEmpty(computed);
        AssertSameValues(all, Read(output, passThrough), tolerance, "cursor over the pass-through columns");
        using var cursor = output.GetRowCursor(passThrough);
        foreach (var column in computed)
        {
            Assert.False(cursor.IsColumnActive(column), $"'{column.Name}' was not requested but is active");
            Assert.ThrowsAny<Exception>(() => GetterFor(cursor, column));
        }
    }

    private static void AssertSameSchema(DataViewSchema expected, DataViewSchema actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {expected.Count} columns vs {actual.Count}");
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].Name == actual[i].Name && expected[i].Type.Equals(actual[i].Type) && expected[i].IsHidden == actual[i].IsHidden,
                $"{what}: column {i} is '{expected[i].Name}' {expected[i].Type} vs '{actual[i].Name}' {actual[i].Type}");
            Assert.Equal(expected[i].Annotations.Schema.Select(a => (a.Name, a.Type)), actual[i].Annotations.Schema.Select(a => (a.Name, a.Type)));
        }
    }

    /// <summary>Every promised column is delivered alike, and nothing else appears.</summary>
    private static void AssertKeepsPromise(SchemaShape promised, SchemaShape delivered)
    {
        Assert.Equal(promised.Select(c => c.Name).Order(), delivered.Select(c => c.Name).Order());
        foreach (var p in promised)
        {
            var d = delivered.Single(c => c.Name == p.Name);
            Assert.True((p.Kind, p.ItemType, p.IsKey).Equals((d.Kind, d.ItemType, d.IsKey)),
                $"column '{p.Name}': GetOutputSchema promised {p.Kind} of {p.ItemType} (key {p.IsKey}), Transform delivered {d.Kind} of {d.ItemType} (key {d.IsKey})");
            var missing = p.Annotations.Select(a => a.Name).Except(d.Annotations.Select(a => a.Name)).ToArray();
            Assert.True(missing.Length == 0, $"column '{p.Name}': promised annotations {string.Join(", ", missing)} are not delivered");
        }
    }

    /// <summary>The values of <paramref name="columns"/>, row by row, read through one cursor.</summary>
    private static Values Read(IDataView view, IReadOnlyList<DataViewSchema.Column> columns)
    {
        var values = new Values();
        using var cursor = view.GetRowCursor(columns);
        var readers = columns.Select(c => (c.Name, Read: GetterFor(cursor, c))).ToArray();
        while (cursor.MoveNext())
        {
            values.Rows++;
            foreach (var (name, read) in readers) values.Add(name, read());
        }
        return values;
    }

    private static Values ReadThroughMapper(IRowToRowMapper mapper, IDataView input, IReadOnlyList<DataViewSchema.Column> columns)
    {
        var values = new Values();
        var active = columns.Select(c => mapper.OutputSchema[c.Index]).ToArray();
        using var cursor = input.GetRowCursor(mapper.GetDependencies(active));
        using var row = mapper.GetRow(cursor, active);
        var readers = active.Select(c => (c.Name, Read: GetterFor(row, c))).ToArray();
        while (cursor.MoveNext())
        {
            values.Rows++;
            foreach (var (name, read) in readers) values.Add(name, read());
        }
        return values;
    }

    private static void AssertSameValues(Values expected, Values actual, double tolerance, string what)
    {
        Assert.True(expected.Rows == actual.Rows, $"{what}: {actual.Rows} rows, expected {expected.Rows}");
        foreach (var (name, column) in actual.Columns)
        {
            var reference = expected.Columns[name];
            for (int row = 0; row < column.Count; row++)
                Assert.True(Close(reference[row], column[row], tolerance),
                    $"{what}: column '{name}', row {row}: {Show(column[row])}, expected {Show(reference[row])}");
        }
    }

    private static bool Close(object a, object b, double tolerance) => (a, b) switch
    {
        (double x, double y) => x.Equals(y) || Math.Abs(x - y) <= tolerance,
        (object[] x, object[] y) => x.Length == y.Length && x.Zip(y).All(p => Close(p.First, p.Second, tolerance)),
        _ => a.Equals(b),
    };

    private static string Show(object value) => value is object[] array ? $"[{string.Join(", ", array.Take(8))}{(array.Length > 8 ? ", …" : "")}]" : $"{value}";

    /// <summary>A reader of <paramref name="column"/>'s current value as a comparable object (numbers as double, vectors densified).</summary>
    private static Func<object> GetterFor(DataViewRow row, DataViewSchema.Column column)
    {
        var method = typeof(EstimatorContract).GetMethod(nameof(TypedGetter), BindingFlags.Static | BindingFlags.NonPublic)!
            .MakeGenericMethod(column.Type.RawType);
        try
        {
            return (Func<object>)method.Invoke(null, [row, column])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    private static Func<object> TypedGetter<T>(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<T>(column);
        return () =>
        {
            T value = default!;
            getter(ref value);
            return Comparable(value!);
        };
    }

    private static object Comparable(object value) => value switch
    {
        float f => (double)f,
        double d => d,
        ReadOnlyMemory<char> text => text.ToString(),
        VBuffer<float> v => v.DenseValues().Select(x => (object)(double)x).ToArray(),
        VBuffer<double> v => v.DenseValues().Select(x => (object)x).ToArray(),
        VBuffer<ReadOnlyMemory<char>> v => v.DenseValues().Select(x => (object)x.ToString()).ToArray(),
        _ => value,
    };

    private sealed class Values
    {
        public long Rows { get; set; }

        public Dictionary<string, List<object>> Columns { get; } = [];

        public void Add(string name, object value)
        {
            if (!Columns.TryGetValue(name, out var list)) Columns[name] = list = [];
            list.Add(value);
        }
    }
}
