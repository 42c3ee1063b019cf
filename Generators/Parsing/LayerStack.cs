using System.Collections.Generic;
using Dnn2Gp.Generators.Diagnostics;
using Dnn2Gp.Generators.Model;

namespace Dnn2Gp.Generators.Parsing;

/// <summary>The shape of one example between image layers: [Channels, Height, Width] in NCHW order.</summary>
internal readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public int Size => Channels * Height * Width;

    public override string ToString() => $"{Channels}, {Height}, {Width}";
}

/// <summary>
/// The layers parsed so far and the shape of one example after them (flat features, or an image until a
/// <c>[Flatten]</c> or dense layer): shape inference as the attributes are read in source order. After a shape error
/// the shape is unknown (<see cref="ShapeKnown"/> false) and no further shape diagnostics are reported, so one mistake
/// gives one error; the layers are still counted, so later messages name the right PyTorch module indices.
/// </summary>
internal sealed class LayerStack
{
    private long _parameters;

    public LayerStack(string network, List<DiagnosticInfo> diagnostics, int width, ImageShape? image)
    {
        Network = network;
        Diagnostics = diagnostics;
        Width = width;
        Image = image;
    }

    public string Network { get; }

    public List<DiagnosticInfo> Diagnostics { get; }

    public List<LayerSpec> Layers { get; } = new();

    /// <summary>Features per example after the layers so far (C·H·W for an image).</summary>
    public int Width { get; private set; }

    /// <summary>The image shape after the layers so far, or null for flat features.</summary>
    public ImageShape? Image { get; private set; }

    /// <summary>False after a shape error: the shape of what follows cannot be inferred.</summary>
    public bool ShapeKnown { get; private set; } = true;

    /// <summary>The PyTorch module index of the next layer.</summary>
    public int Module => Layers.Count;

    /// <summary>Dense and convolution layers so far.</summary>
    public int ParametrisedCount { get; private set; }

    /// <summary>The offset of the next layer's parameters.</summary>
    public int Offset { get; private set; }

    public void ShapeLost() => ShapeKnown = false;

    /// <summary>Counts a layer's parameters; false (and DNN2GP104) when the total no longer fits an int.</summary>
    public bool AddParameters(long count, LocationInfo? location)
    {
        _parameters += count;
        if (_parameters <= int.MaxValue) return true;
        Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooManyParameters, location, Network, _parameters, int.MaxValue));
        return false;
    }

    /// <summary>What needs flat features (a dense layer, the likelihood) reports DNN2GP108 on an image, then reads it flattened.</summary>
    public void RequireFlat(string what, LocationInfo? location)
    {
        if (Image is not { } image) return;
        if (ShapeKnown)
        {
            Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FlattenMissing, location, what, Network, image.ToString()));
        }
        Image = null;
        Width = image.Size;
    }

    /// <summary>The image an image layer reads, or null (with DNN2GP109 unless the shape is already unknown) for flat features.</summary>
    public ImageShape? RequireImage(string display, LocationInfo? location)
    {
        if (!ShapeKnown) return null;
        if (Image is { } image) return image;
        Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ImageLayerOnFlatInput, location, display, Module, Network, Width));
        ShapeKnown = false;
        return null;
    }

    /// <summary>A dense or convolution layer (with <paramref name="spatial"/>) producing <paramref name="outputWidth"/> features.</summary>
    public void AddParametrised(LayerKind kind, int outputWidth, bool bias, SpatialSpec? spatial)
    {
        var layer = new LayerSpec(kind, Width, outputWidth, bias, OpKind.Identity, Module, ParametrisedCount++, Offset, spatial);
        Layers.Add(layer);
        Offset += layer.ParameterCount;
        Width = outputWidth;
        Image = spatial is null ? null : new ImageShape(spatial.OutChannels, spatial.OutHeight, spatial.OutWidth);
    }

    /// <summary>The activation a dense or convolution attribute names (a module of its own, unless Identity).</summary>
    public void AddActivation(OpKind activation)
    {
        if (activation != OpKind.Identity) AddActivationLayer(activation);
    }

    /// <summary>A stand-alone activation: the shape is unchanged.</summary>
    public void AddActivationLayer(OpKind activation) =>
        Layers.Add(new LayerSpec(LayerKind.Activation, Width, Width, false, activation, Module, -1, Offset));

    /// <summary>A pooling layer with its geometry.</summary>
    public void AddPool(LayerKind kind, SpatialSpec spatial)
    {
        int outputWidth = spatial.OutChannels * spatial.OutHeight * spatial.OutWidth;
        Layers.Add(new LayerSpec(kind, Width, outputWidth, false, OpKind.Identity, Module, -1, Offset, spatial));
        Width = outputWidth;
        Image = new ImageShape(spatial.OutChannels, spatial.OutHeight, spatial.OutWidth);
    }

    /// <summary>A layer whose shape could not be inferred (after an error): it takes its module index and nothing else.</summary>
    public void AddPlaceholder(LayerKind kind) =>
        Layers.Add(new LayerSpec(kind, Width, Width, false, OpKind.Identity, Module, kind == LayerKind.Conv2D ? ParametrisedCount++ : -1, Offset));

    /// <summary>Flatten: an image becomes its C·H·W features (no data moves in NCHW); on flat features it does nothing.</summary>
    public void AddFlatten()
    {
        if (Image is { } image) Width = image.Size;
        Image = null;
        Layers.Add(new LayerSpec(LayerKind.Flatten, Width, Width, false, OpKind.Identity, Module, -1, Offset));
    }

    /// <summary>Dropout with drop probability <paramref name="rate"/>: the shape is unchanged.</summary>
    public void AddDropout(double rate) =>
        Layers.Add(new LayerSpec(LayerKind.Dropout, Width, Width, false, OpKind.Identity, Module, -1, Offset, Rate: rate));
}
