using System.Collections.Generic;
using Dnn2Gp.Generators.Model;

namespace Dnn2Gp.Generators.Emitting;

/// <summary>
/// The buffers and steps of a batched forward pass, derived from a spec: which value each step reads and writes,
/// and where each value lives in the per-example workspace. A dense or convolution layer followed by an activation is
/// one fused step (GEMM, then bias and activation). Identity activations and flattens are dropped (in NCHW a flatten
/// moves no data), and so are dropouts except in a training plan, where each is a step with a mask buffer.
/// </summary>
internal sealed class ForwardPlan
{
    private ForwardPlan(List<PlanStep> steps, PlanValue input, int workspace, int maxWidth)
    {
        Steps = steps;
        Input = input;
        Workspace = workspace;
        MaxWidth = maxWidth;
    }

    public IReadOnlyList<PlanStep> Steps { get; }

    public PlanValue Input { get; }

    public PlanValue Output => Steps[Steps.Count - 1].Out;

    /// <summary>Elements of workspace per example for all values except the input.</summary>
    public int Workspace { get; }

    /// <summary>The widest value (input included): the size of each backward gradient buffer per example.</summary>
    public int MaxWidth { get; }

    /// <summary>
    /// Builds the plan. With <paramref name="keepPreactivations"/> (for backward passes) a fused step keeps its
    /// pre-activation z and its activation a in separate buffers; without, the activation overwrites z in place.
    /// A <paramref name="training"/> plan (dropout active) has a step per dropout layer; evaluation plans have none.
    /// </summary>
    public static ForwardPlan Create(NetworkSpec spec, bool keepPreactivations, bool training = false)
    {
        var input = new PlanValue("inputs", spec.InputSize, -1);
        var steps = new List<PlanStep>();
        var current = input;
        int offset = 0, maxWidth = spec.InputSize;
        var layers = spec.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer.IsParametrised)
            {
                var z = new PlanValue($"z{layer.DenseIndex}", layer.OutputWidth, offset);
                offset += layer.OutputWidth;
                if (layer.OutputWidth > maxWidth) maxWidth = layer.OutputWidth;
                var next = i + 1 < layers.Count ? layers[i + 1] : null;
                if (next is { Kind: LayerKind.Activation } && next.Activation != OpKind.Identity)
                {
                    PlanValue a = z;
                    if (keepPreactivations)
                    {
                        a = new PlanValue($"a{layer.DenseIndex}", layer.OutputWidth, offset);
                        offset += layer.OutputWidth;
                    }
                    steps.Add(new PlanStep(layer, next, current, z, a));
                    current = a;
                    i++;
                }
                else
                {
                    steps.Add(new PlanStep(layer, null, current, z, z));
                    current = z;
                }
            }
            else if (layer.Kind is LayerKind.MaxPool2D or LayerKind.AvgPool2D)
            {
                var h = new PlanValue($"h{layer.ModuleIndex}", layer.OutputWidth, offset);
                offset += layer.OutputWidth;
                if (layer.InputWidth > maxWidth) maxWidth = layer.InputWidth;
                steps.Add(new PlanStep(null, null, current, current, h, Pool: layer));
                current = h;
            }
            else if (layer.Kind == LayerKind.Dropout)
            {
                if (!training || layer.Rate == 0) continue;
                var mask = new PlanValue($"m{layer.ModuleIndex}", layer.OutputWidth, offset);
                offset += layer.OutputWidth;
                var h = new PlanValue($"h{layer.ModuleIndex}", layer.OutputWidth, offset);
                offset += layer.OutputWidth;
                steps.Add(new PlanStep(null, null, current, current, h, Dropout: layer, Mask: mask));
                current = h;
            }
            else if (layer.Kind == LayerKind.Activation && layer.Activation != OpKind.Identity)
            {
                var h = new PlanValue($"h{layer.ModuleIndex}", layer.OutputWidth, offset);
                offset += layer.OutputWidth;
                steps.Add(new PlanStep(null, layer, current, current, h));
                current = h;
            }
        }
        return new ForwardPlan(steps, input, offset, maxWidth);
    }
}

/// <summary>A buffer of <see cref="Width"/> elements per example at <see cref="Offset"/> in the workspace (-1: the input).</summary>
internal sealed record PlanValue(string Name, int Width, int Offset);

/// <summary>
/// One step: a parametrised layer (<see cref="Dense"/>: a dense or convolution layer), an activation
/// (<see cref="Activation"/>) or both fused; or a pooling layer (<see cref="Pool"/>), or a training-mode dropout
/// (<see cref="Dropout"/>, with its <see cref="Mask"/> buffer). <see cref="In"/> is read; <see cref="Z"/> is the
/// parametrised layer's output (the pre-activation); <see cref="Out"/> is the result.
/// </summary>
internal sealed record PlanStep(LayerSpec? Dense, LayerSpec? Activation, PlanValue In, PlanValue Z, PlanValue Out,
    LayerSpec? Pool = null, LayerSpec? Dropout = null, PlanValue? Mask = null)
{
    /// <summary>Whether the step is a convolution (possibly fused with its activation).</summary>
    public bool IsConv => Dense is { Kind: LayerKind.Conv2D };
}
