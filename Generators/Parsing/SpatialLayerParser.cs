using Dnn2Gp.Generators.Diagnostics;
using Dnn2Gp.Generators.Model;

namespace Dnn2Gp.Generators.Parsing;

/// <summary>
/// Reads <c>[Conv2D]</c>, <c>[MaxPool2D]</c> and <c>[AvgPool2D]</c> and infers their output shapes as PyTorch does:
/// ⌊(input + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1 per axis. Every impossible shape is a diagnostic at
/// the offending argument: a non-positive size (DNN2GP105, at that argument), a window larger than the padded input
/// (DNN2GP106, at the kernel), windows that do not tile the input when <c>ExactDivision</c> is asked for (DNN2GP107, at
/// the stride, or the kernel when no stride is written), an image layer on flat features (DNN2GP109, at the attribute).
/// </summary>
internal static class SpatialLayerParser
{
    /// <summary>Parses a convolution (and its activation shorthand); false when the parameter count overflows (parsing stops).</summary>
    public static bool Conv2D(AttributeReader reader, LayerStack stack)
    {
        int layer = stack.Module;
        int? outChannels = Positive(reader, stack, 0, "outChannels", "output channel count", layer);
        int? kernel = Positive(reader, stack, 1, "kernel", "kernel size", layer);
        var activation = NetworkParser.ReadEnum<OpKind>(reader.Constructor(2), reader.ArgumentLocation(2, "activation"), KnownTypeNames.Activation, stack.Diagnostics) ?? OpKind.Identity;
        int? stride = Named(reader, stack, "Stride", 1, 1, "stride", layer);
        int? padding = Named(reader, stack, "Padding", 0, 0, "padding", layer);
        int? dilation = Named(reader, stack, "Dilation", 1, 1, "dilation", layer);
        bool bias = reader.Named("Bias")?.Value is bool b ? b : true;
        bool exact = reader.Named("ExactDivision")?.Value is true;
        var image = stack.RequireImage(reader.DisplayName, reader.Location);
        if (image is null || outChannels is null || kernel is null || stride is null || padding is null || dilation is null)
        {
            return Lost(stack, LayerKind.Conv2D, activation);
        }
        var kernelLocation = reader.ArgumentLocation(1, "kernel");
        var strideLocation = reader.HasNamed("Stride") ? reader.NamedArgumentLocation("Stride") : kernelLocation;
        var geometry = Geometry(stack, reader.DisplayName, layer, image.Value, outChannels.Value, kernel.Value, stride.Value, padding.Value, dilation.Value,
            exact, kernelLocation, strideLocation);
        if (geometry is null) return Lost(stack, LayerKind.Conv2D, activation);
        long parameters = (long)geometry.OutChannels * geometry.PatchSize + (bias ? geometry.OutChannels : 0);
        if (!stack.AddParameters(parameters, reader.ArgumentLocation(0, "outChannels"))) return false;
        stack.AddParametrised(LayerKind.Conv2D, geometry.OutChannels * geometry.Positions, bias, geometry);
        stack.AddActivation(activation);
        return true;
    }

    /// <summary>Parses a max or average pooling layer.</summary>
    public static void Pool(AttributeReader reader, LayerStack stack, LayerKind kind)
    {
        int layer = stack.Module;
        int? kernel = Positive(reader, stack, 0, "kernel", "kernel size", layer);
        int? stride = Named(reader, stack, "Stride", kernel ?? 1, 1, "stride", layer);
        bool exact = reader.Named("ExactDivision")?.Value is true;
        var image = stack.RequireImage(reader.DisplayName, reader.Location);
        if (image is null || kernel is null || stride is null)
        {
            Lost(stack, kind, OpKind.Identity);
            return;
        }
        var kernelLocation = reader.ArgumentLocation(0, "kernel");
        var strideLocation = reader.HasNamed("Stride") ? reader.NamedArgumentLocation("Stride") : kernelLocation;
        var geometry = Geometry(stack, reader.DisplayName, layer, image.Value, image.Value.Channels, kernel.Value, stride.Value, 0, 1, exact, kernelLocation, strideLocation);
        if (geometry is null)
        {
            Lost(stack, kind, OpKind.Identity);
            return;
        }
        stack.AddPool(kind, geometry);
    }

    private static SpatialSpec? Geometry(LayerStack stack, string display, int layer, ImageShape image, int outChannels, int kernel, int stride, int padding,
        int dilation, bool exact, LocationInfo? kernelLocation, LocationInfo? strideLocation)
    {
        long span = (long)dilation * (kernel - 1) + 1;
        long paddedHeight = image.Height + 2L * padding, paddedWidth = image.Width + 2L * padding;
        if (span > paddedHeight || span > paddedWidth)
        {
            stack.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.KernelLargerThanInput, kernelLocation, display, layer, stack.Network, span, paddedHeight, paddedWidth));
            return null;
        }
        bool valid = true;
        foreach (var (axis, padded) in new[] { ("height", paddedHeight), ("width", paddedWidth) })
        {
            long remainder = (padded - span) % stride;
            if (exact && remainder != 0)
            {
                stack.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InexactDivision, strideLocation, display, layer, stack.Network, axis,
                    padded, span, padded - span, stride, remainder));
                valid = false;
            }
        }
        if (!valid) return null;
        int outHeight = (int)((paddedHeight - span) / stride + 1), outWidth = (int)((paddedWidth - span) / stride + 1);
        return new SpatialSpec(image.Channels, image.Height, image.Width, outChannels, outHeight, outWidth,
            kernel, kernel, stride, stride, padding, padding, dilation, dilation);
    }

    /// <summary>A positive constructor argument, or null (with DNN2GP007 or DNN2GP105).</summary>
    private static int? Positive(AttributeReader reader, LayerStack stack, int position, string parameter, string what, int layer)
    {
        var value = reader.Constructor(position);
        if (value is null) return NetworkParser.Missing<int>(reader, position, parameter, stack.Diagnostics);
        int v = value.Value.Value is int i ? i : 0;
        if (v >= 1) return v;
        stack.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSpatialArgument, reader.ArgumentLocation(position, parameter), what, reader.DisplayName, layer, stack.Network, "at least 1", v));
        return null;
    }

    /// <summary>A named int argument at least <paramref name="minimum"/>, its default when not written, or null (with DNN2GP105).</summary>
    private static int? Named(AttributeReader reader, LayerStack stack, string name, int fallback, int minimum, string what, int layer)
    {
        if (!reader.HasNamed(name)) return fallback;
        if (reader.Named(name)?.Value is not int v) return fallback;
        if (v >= minimum) return v;
        stack.Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSpatialArgument, reader.NamedArgumentLocation(name), what, reader.DisplayName, layer, stack.Network, $"at least {minimum}", v));
        return null;
    }

    private static bool Lost(LayerStack stack, LayerKind kind, OpKind activation)
    {
        stack.ShapeLost();
        stack.AddPlaceholder(kind);
        if (activation != OpKind.Identity) stack.AddPlaceholder(LayerKind.Activation);
        return true;
    }
}
