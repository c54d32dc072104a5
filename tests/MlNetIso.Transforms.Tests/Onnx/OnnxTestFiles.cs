using System.Globalization;
using Google.Protobuf;
using MlNetIso.Onnx;
using MlNetIso.Onnx.Proto;

namespace MlNetIso.Transforms.Tests.Onnx;

/// <summary>Writes test models whose larger initializers live in an external data file (ONNX external-data format).</summary>
internal static class OnnxTestFiles
{
    /// <summary>
    /// Moves every initializer with at least <paramref name="minElements"/> elements to <paramref name="dataLocation"/>
    /// (relative to the model's folder unless it is rooted or climbs out) and writes the model to <paramref name="modelPath"/>.
    /// </summary>
    public static ModelProto WriteWithExternalData(byte[] model, string modelPath, string dataLocation, int minElements = 16)
    {
        var proto = OnnxModelFile.Parse(model, "test");
        var dataPath = Path.IsPathRooted(dataLocation)
            ? dataLocation
            : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(modelPath)!, dataLocation));
        using (var data = File.Create(dataPath))
        {
            foreach (var t in proto.Graph.Initializer.Where(t => OnnxTensors.ElementCount(t) >= minElements && !t.RawData.IsEmpty))
            {
                var offset = data.Position;
                t.RawData.WriteTo(data);
                SetExternal(t, dataLocation, offset, t.RawData.Length);
                t.RawData = ByteString.Empty;
            }
        }
        File.WriteAllBytes(modelPath, proto.ToByteArray());
        return proto;
    }

    public static void SetExternal(TensorProto t, string location, long offset, long length)
    {
        t.DataLocation = TensorProto.Types.DataLocation.External;
        t.ExternalData.Clear();
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(CultureInfo.InvariantCulture) });
        t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = length.ToString(CultureInfo.InvariantCulture) });
    }
}
