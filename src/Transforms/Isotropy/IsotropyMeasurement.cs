using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetIso.Geometry;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// The single pass over the input column: one cursor, each valid row fed once to the streaming covariance
/// (mean, co-moment) and cosine accumulators of the geometry core and offered to a seeded reservoir sample. Memory is
/// O(d² + SampleSize·d), independent of the row count; the column is never materialised.
/// </summary>
internal sealed class IsotropyMeasurement
{
    private IsotropyMeasurement(
        CovarianceAccumulator covariance, CosineAccumulator cosine, ReservoirSample sample, long skippedRows)
    {
        Covariance = covariance;
        Cosine = cosine;
        Sample = sample;
        SkippedRows = skippedRows;
    }

    /// <summary>Mean and covariance of all valid rows.</summary>
    public CovarianceAccumulator Covariance { get; }

    /// <summary>Exact average cosine, cosine to the mean and per-dimension contributions of all valid rows.</summary>
    public CosineAccumulator Cosine { get; }

    /// <summary>The seeded uniform sample of valid rows.</summary>
    public ReservoirSample Sample { get; }

    /// <summary>Rows skipped for NaN/Infinity.</summary>
    public long SkippedRows { get; }

    /// <summary>The vector length d.</summary>
    public int Dimension => Covariance.Dimension;

    /// <summary>Valid rows measured.</summary>
    public long Count => Covariance.Count;

    /// <summary>Runs the pass.</summary>
    /// <exception cref="InvalidOperationException">
    /// A row is empty, ragged, or (with <see cref="InvalidValueHandling.Fail"/>) holds NaN/Infinity; fewer than 2 valid
    /// rows; or vectors of length 1. Messages name the column and, where it applies, the row.
    /// </exception>
    public static IsotropyMeasurement Run(IDataView data, IsotropyInputColumn column, IsotropyOptions options, IHost host, IChannel channel)
    {
        using var progress = host.StartProgressChannel($"MeasureIsotropy('{column.Name}')");
        long rowsRead = 0;
        long? totalRows = data.GetRowCount();
        progress.SetHeader(new ProgressHeader("rows"), e => e.SetProgress(0, Interlocked.Read(ref rowsRead), totalRows ?? 0));

        using var reader = new IsotropyRowReader(data, column);
        CovarianceAccumulator? covariance = null;
        CosineAccumulator? cosine = null;
        var sample = new ReservoirSample(options.SampleSize, options.Seed);
        long skipped = 0;
        while (reader.MoveNext())
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref rowsRead);
            if (reader.CurrentRowHasInvalidValue)
            {
                if (options.InvalidValueHandling == InvalidValueHandling.Fail)
                    throw new InvalidOperationException(
                        $"MeasureIsotropy: column '{column.Name}', row {reader.RowIndex} holds NaN or Infinity. " +
                        "Clean the data or set IsotropyOptions.InvalidValueHandling = Skip to leave such rows out.");
                skipped++;
                continue;
            }
            if (covariance is null)
            {
                if (reader.Dimension < 2)
                    throw new InvalidOperationException(
                        $"MeasureIsotropy: column '{column.Name}' holds vectors of length {reader.Dimension}; isotropy needs at least 2 dimensions.");
                covariance = new CovarianceAccumulator(reader.Dimension, options.MaxDegreeOfParallelism);
                cosine = new CosineAccumulator(reader.Dimension);
            }
            var row = reader.Row;
            covariance.Add(row);
            cosine!.Add(row);
            sample.Offer(row);
        }

        long count = covariance?.Count ?? 0;
        if (count < 2)
            throw new InvalidOperationException(
                $"MeasureIsotropy: column '{column.Name}' has {count} valid row(s) ({skipped} skipped for NaN/Infinity); at least 2 are needed.");
        channel.Info(MessageSensitivity.None,
            $"MeasureIsotropy('{column.Name}'): read {rowsRead} rows of dimension {reader.Dimension} in one pass; {skipped} skipped; sample of {sample.Rows.Count}.");
        return new IsotropyMeasurement(covariance!, cosine!, sample, skipped);
    }
}
