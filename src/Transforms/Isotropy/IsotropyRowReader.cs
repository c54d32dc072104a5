using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// Reads the input column row by row through ONE cursor that has only that column active, converting each row to a
/// dense <see cref="double"/> buffer (sparse rows are densified, Single is widened exactly). It checks that every row has
/// the same length and reports whether a row holds NaN or ±Infinity; the caller decides what to do with such a row.
/// </summary>
internal sealed class IsotropyRowReader : IDisposable
{
    private readonly DataViewRowCursor _cursor;
    private readonly ValueGetter<VBuffer<float>>? _floatGetter;
    private readonly ValueGetter<VBuffer<double>>? _doubleGetter;
    private readonly string _columnName;
    private VBuffer<float> _floats;
    private VBuffer<double> _doubles;
    private double[] _row = [];
    private float[] _floatRow = [];

    public IsotropyRowReader(IDataView data, IsotropyInputColumn column)
    {
        _columnName = column.Name;
        Dimension = column.DeclaredSize;
        _cursor = data.GetRowCursor([column.Column]);
        if (column.IsDouble)
            _doubleGetter = _cursor.GetGetter<VBuffer<double>>(column.Column);
        else
            _floatGetter = _cursor.GetGetter<VBuffer<float>>(column.Column);
        if (Dimension > 0)
            Allocate(Dimension);
    }

    /// <summary>The row length: the declared size, or (unknown size) the length of the first row read; 0 before that.</summary>
    public int Dimension { get; private set; }

    /// <summary>The zero-based index of the current row in the data view.</summary>
    public long RowIndex => _cursor.Position;

    /// <summary>The current row, as doubles.</summary>
    public ReadOnlySpan<double> Row => _row;

    /// <summary>True when the current row holds a NaN or an infinity.</summary>
    public bool CurrentRowHasInvalidValue { get; private set; }

    /// <summary>Moves to the next row and reads it; false at the end of the data.</summary>
    /// <exception cref="InvalidOperationException">A row is empty or its length differs from the others (the message names the row).</exception>
    public bool MoveNext()
    {
        if (!_cursor.MoveNext())
            return false;
        int length;
        if (_doubleGetter is not null)
        {
            _doubleGetter(ref _doubles);
            length = _doubles.Length;
            CheckLength(length);
            _doubles.CopyTo(_row);
        }
        else
        {
            _floatGetter!(ref _floats);
            length = _floats.Length;
            CheckLength(length);
            _floats.CopyTo(_floatRow);
            for (int i = 0; i < _floatRow.Length; i++)
                _row[i] = _floatRow[i];
        }
        CurrentRowHasInvalidValue = !AllFinite(_row);
        return true;
    }

    private void CheckLength(int length)
    {
        if (length == 0)
            throw new InvalidOperationException($"MeasureIsotropy: column '{_columnName}', row {RowIndex}: the vector is empty.");
        if (Dimension == 0)
        {
            Dimension = length;
            Allocate(length);
        }
        else if (length != Dimension)
        {
            throw new InvalidOperationException(
                $"MeasureIsotropy: column '{_columnName}', row {RowIndex}: the vector has length {length}, but earlier rows have length {Dimension}.");
        }
    }

    private void Allocate(int dimension)
    {
        _row = new double[dimension];
        _floatRow = new float[dimension];
    }

    private static bool AllFinite(ReadOnlySpan<double> row)
    {
        foreach (var v in row)
        {
            if (!double.IsFinite(v))
                return false;
        }
        return true;
    }

    public void Dispose() => _cursor.Dispose();
}
