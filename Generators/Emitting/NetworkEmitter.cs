using System;
using System.Linq;
using Dnn2Gp.Generators.Model;

namespace Dnn2Gp.Generators.Emitting;

/// <summary>
/// Emits the Network part: the <c>INetwork</c> implementation's sizes, the parameter layout table in PyTorch's order,
/// initialisation, the likelihood's per-example residual and Hessian, and the prior.
/// </summary>
internal static class NetworkEmitter
{
    public static string Emit(NetworkSpec spec)
    {
        var w = new SourceWriter();
        string t = Literals.Type(spec.Element);
        string likelihood = OpTable.LikelihoodType(spec.Loss.Kind);
        string sigma = spec.Loss.Kind == LossKind.Gaussian ? ", " + Literals.Double(spec.Loss.Sigma) : "";
        using (FileHeader.Open(w, spec, $"Shapes, parameter layout, likelihood and prior of {spec.TypeName}.",
                   $"global::Dnn2Gp.Runtime.INetwork<{Literals.Identifier(spec.TypeName)}, {t}>"))
        {
            w.Line("// Architecture (PyTorch nn.Sequential equivalent):");
            foreach (var layer in spec.Layers)
            {
                w.Line(layer.Kind switch
                {
                    LayerKind.Dense => $"//   ({layer.ModuleIndex}) Linear(in_features={layer.InputWidth}, out_features={layer.OutputWidth}, bias={(layer.Bias ? "True" : "False")})",
                    LayerKind.Activation => $"//   ({layer.ModuleIndex}) {OpTable.DisplayName(layer.Activation)}()",
                    _ => $"//   ({layer.ModuleIndex}) {SpatialEmitter.PyTorchRepr(layer)}",
                });
            }
            w.Line();
            if (spec.HasImageInput)
            {
                w.Line("/// <summary>The shape of one input image, [channels, height, width] (NCHW: InputSize = channels · height · width).</summary>");
                w.Line($"public static global::System.Collections.Generic.IReadOnlyList<int> InputShape {{ get; }} = new[] {{ {string.Join(", ", spec.InputShape.Select(Literals.Int))} }};");
                w.Line();
            }
            w.Line("/// <summary>The network's name.</summary>");
            w.Line($"public static string Name => \"{spec.TypeName}\";");
            w.Line();
            w.Line("/// <summary>Input features per example.</summary>");
            w.Line($"public static int InputSize => {Literals.Int(spec.InputSize)};");
            w.Line();
            w.Line("/// <summary>Outputs per example.</summary>");
            w.Line($"public static int OutputSize => {Literals.Int(spec.OutputSize)};");
            w.Line();
            w.Line("/// <summary>Target values per example.</summary>");
            w.Line($"public static int TargetSize => {Literals.Int(spec.TargetSize)};");
            w.Line();
            w.Line("/// <summary>The number of parameters.</summary>");
            w.Line($"public static int ParameterCount => {Literals.Int(spec.ParameterCount)};");
            w.Line();
            bool images = spec.Layers.Any(l => l.Spatial is not null);
            w.Line(images
                ? "/// <summary>The parameter tensors in PyTorch's state_dict order: per layer the weight ([out, in] or [out, in, kh, kw]) row-major, then the bias.</summary>"
                : "/// <summary>The parameter tensors in PyTorch's state_dict order: per layer the weight [out, in] row-major, then the bias.</summary>");
            using (w.Indented("public static global::Dnn2Gp.Runtime.ParameterLayout Layout { get; } = new(", ");"))
            {
                string WeightShape(LayerSpec l) => l.Kind == LayerKind.Conv2D
                    ? $"{Literals.Int(l.Spatial!.OutChannels)}, {Literals.Int(l.Spatial.InChannels)}, {Literals.Int(l.Spatial.KernelHeight)}, {Literals.Int(l.Spatial.KernelWidth)}"
                    : $"{Literals.Int(l.OutputWidth)}, {Literals.Int(l.InputWidth)}";
                var tensors = spec.Layers.Where(l => l.IsParametrised)
                    .SelectMany(l => l.Bias
                        ? new[] { $"new global::Dnn2Gp.Runtime.ParameterTensor(\"{l.ModuleIndex}.weight\", {Literals.Int(l.ParameterOffset)}, {WeightShape(l)})",
                                  $"new global::Dnn2Gp.Runtime.ParameterTensor(\"{l.ModuleIndex}.bias\", {Literals.Int(l.BiasOffset)}, {Literals.Int(l.BiasCount)})" }
                        : new[] { $"new global::Dnn2Gp.Runtime.ParameterTensor(\"{l.ModuleIndex}.weight\", {Literals.Int(l.ParameterOffset)}, {WeightShape(l)})" })
                    .ToList();
                for (int i = 0; i < tensors.Count; i++) w.Line(tensors[i] + (i + 1 < tensors.Count ? "," : ""));
            }
            w.Line();
            if (images)
            {
                w.Line("// The geometry of every convolution and pooling layer: input [C, H, W], output [C, H, W], kernel, stride, padding, dilation.");
                foreach (var layer in spec.Layers.Where(l => l.Spatial is not null)) w.Line(SpatialEmitter.GeometryField(layer));
                w.Line();
            }
            w.Line("/// <summary>The parametrised layers in forward order, as curvature code plans with them.</summary>");
            using (w.Indented("public static global::Dnn2Gp.Runtime.Curvature.LayerTable Layers { get; } = new(", ");"))
            {
                var dense = spec.Layers.Where(l => l.IsParametrised).ToList();
                for (int i = 0; i < dense.Count; i++)
                {
                    var l = dense[i];
                    w.Line((l.Kind == LayerKind.Conv2D
                        ? $"global::Dnn2Gp.Runtime.Curvature.LayerInfo.Conv2D({Literals.Int(l.DenseIndex)}, {Literals.Int(l.ModuleIndex)}, {SpatialEmitter.Geometry(l)}, {Literals.Int(l.ParameterOffset)}, {(l.Bias ? "true" : "false")})"
                        : $"global::Dnn2Gp.Runtime.Curvature.LayerInfo.Dense({Literals.Int(l.DenseIndex)}, {Literals.Int(l.ModuleIndex)}, {Literals.Int(l.InputWidth)}, {Literals.Int(l.OutputWidth)}, {Literals.Int(l.ParameterOffset)}, {(l.Bias ? "true" : "false")})")
                        + (i + 1 < dense.Count ? "," : ""));
                }
            }
            w.Line();
            w.Line("/// <summary>The declared likelihood.</summary>");
            w.Line(spec.Loss.Kind switch
            {
                LossKind.Gaussian => $"public static global::Dnn2Gp.Runtime.Likelihood Likelihood {{ get; }} = new global::Dnn2Gp.Runtime.GaussianLikelihood({Literals.Double(spec.Loss.Sigma)});",
                LossKind.Bernoulli => "public static global::Dnn2Gp.Runtime.Likelihood Likelihood { get; } = new global::Dnn2Gp.Runtime.BernoulliLikelihood();",
                LossKind.Categorical => "public static global::Dnn2Gp.Runtime.Likelihood Likelihood { get; } = new global::Dnn2Gp.Runtime.CategoricalLikelihood();",
                _ => throw new InvalidOperationException($"unhandled LossKind {spec.Loss.Kind}"),
            });
            w.Line();
            w.Line("/// <summary>The declared prior.</summary>");
            w.Line(spec.Prior.Kind == PriorKind.Isotropic
                ? $"public static global::Dnn2Gp.Runtime.Prior Prior {{ get; }} = new global::Dnn2Gp.Runtime.IsotropicGaussianPrior({Literals.Double(spec.Prior.Precisions[0])});"
                : $"public static global::Dnn2Gp.Runtime.Prior Prior {{ get; }} = new global::Dnn2Gp.Runtime.LayerwiseGaussianPrior({string.Join(", ", spec.Prior.Precisions.Select(Literals.Double))});");
            w.Line();
            w.Line(images
                ? "/// <summary>PyTorch's default nn.Linear and nn.Conv2d initialisation: weights and biases uniform in ±1/√fan_in (fan_in = in·kh·kw for a convolution), seeded.</summary>"
                : "/// <summary>PyTorch's default nn.Linear initialisation: weights and biases uniform in ±1/√fan_in, seeded.</summary>");
            using (w.Block($"public static void InitializeParameters(global::System.Span<{t}> parameters, int seed)"))
            {
                w.Line("global::Dnn2Gp.Runtime.NetworkArguments.CheckParameters(Name, parameters.Length, ParameterCount);");
                w.Line("var random = new global::System.Random(seed);");
                foreach (var layer in spec.Layers.Where(l => l.IsParametrised))
                {
                    int fanIn = layer.Kind == LayerKind.Conv2D ? layer.Spatial!.PatchSize : layer.InputWidth;
                    w.Line($"global::Dnn2Gp.Runtime.ParameterInit.UniformFanIn(parameters.Slice({Literals.Int(layer.ParameterOffset)}, {Literals.Int(layer.ParameterCount)}), {Literals.Int(fanIn)}, random);");
                }
            }
            w.Line();
            w.Line("/// <summary>Per-example output residual r = ∂ℓ/∂f, [batch, OutputSize].</summary>");
            using (w.Block($"public static void OutputResidual(global::System.ReadOnlySpan<{t}> outputs, global::System.ReadOnlySpan<{t}> targets, global::System.Span<{t}> residuals, int batch)"))
            {
                w.Line("global::Dnn2Gp.Runtime.NetworkArguments.CheckOutputs(Name, outputs.Length, OutputSize, batch);");
                w.Line("global::Dnn2Gp.Runtime.NetworkArguments.CheckTargets(Name, targets.Length, TargetSize, batch);");
                w.Line($"{ForwardEmitter.ValidateTargets(spec)};");
                w.Line($"{likelihood}.Residual(outputs, targets, batch, OutputSize{sigma}, residuals);");
            }
            w.Line();
            w.Line("/// <summary>Per-example output Hessian Λ = ∂²ℓ/∂f², [batch, OutputSize, OutputSize].</summary>");
            using (w.Block($"public static void OutputHessian(global::System.ReadOnlySpan<{t}> outputs, global::System.ReadOnlySpan<{t}> targets, global::System.Span<{t}> hessians, int batch)"))
            {
                w.Line("global::Dnn2Gp.Runtime.NetworkArguments.CheckOutputs(Name, outputs.Length, OutputSize, batch);");
                w.Line("global::Dnn2Gp.Runtime.NetworkArguments.CheckTargets(Name, targets.Length, TargetSize, batch);");
                w.Line($"{ForwardEmitter.ValidateTargets(spec)};");
                w.Line($"{likelihood}.Hessian(outputs, targets, batch, OutputSize{sigma}, hessians);");
            }
            w.Line();
            EmitPrior(w, spec, t);
        }
        return w.ToString();
    }

    private static void EmitPrior(SourceWriter w, NetworkSpec spec, string t)
    {
        const string penalty = "global::Dnn2Gp.Runtime.Priors.GaussianPenalty";
        var dense = spec.Layers.Where(l => l.IsParametrised).ToList();
        bool isotropic = spec.Prior.Kind == PriorKind.Isotropic;
        string Slice(string span, LayerSpec layer) => $"{span}.Slice({Literals.Int(layer.ParameterOffset)}, {Literals.Int(layer.ParameterCount)})";

        w.Line("/// <summary>The prior's negative log-density up to its constant: ½ Σ δᵢ wᵢ².</summary>");
        using (w.Block($"public static double PriorPenalty(global::System.ReadOnlySpan<{t}> parameters)"))
        {
            w.Line("global::Dnn2Gp.Runtime.NetworkArguments.CheckParameters(Name, parameters.Length, ParameterCount);");
            if (isotropic)
            {
                w.Line($"return {penalty}.Value(parameters, {Literals.Double(spec.Prior.Precisions[0])});");
            }
            else
            {
                w.Line("double sum = 0.0;");
                for (int i = 0; i < dense.Count; i++) w.Line($"sum += {penalty}.Value({Slice("parameters", dense[i])}, {Literals.Double(spec.Prior.Precisions[i])});");
                w.Line("return sum;");
            }
        }
        w.Line();
        w.Line("/// <summary>Adds scale · δᵢ wᵢ (the prior's gradient, scaled) to <paramref name=\"gradient\"/>.</summary>");
        using (w.Block($"public static void AddPriorGradient(global::System.ReadOnlySpan<{t}> parameters, global::System.Span<{t}> gradient, {t} scale)"))
        {
            w.Line("global::Dnn2Gp.Runtime.NetworkArguments.CheckParameters(Name, parameters.Length, ParameterCount);");
            w.Line("global::Dnn2Gp.Runtime.NetworkArguments.CheckGradient(Name, gradient.Length, ParameterCount);");
            if (isotropic)
            {
                w.Line($"{penalty}.AddGradient(parameters, {Literals.Double(spec.Prior.Precisions[0])}, scale, gradient);");
            }
            else
            {
                for (int i = 0; i < dense.Count; i++) w.Line($"{penalty}.AddGradient({Slice("parameters", dense[i])}, {Literals.Double(spec.Prior.Precisions[i])}, scale, {Slice("gradient", dense[i])});");
            }
        }
        w.Line();
        w.Line("/// <summary>Writes the prior's Hessian diagonal δᵢ.</summary>");
        using (w.Block($"public static void PriorHessianDiagonal(global::System.Span<{t}> diagonal)"))
        {
            w.Line("global::Dnn2Gp.Runtime.NetworkArguments.CheckGradient(Name, diagonal.Length, ParameterCount);");
            if (isotropic)
            {
                w.Line($"{penalty}.FillHessianDiagonal({Literals.Double(spec.Prior.Precisions[0])}, diagonal);");
            }
            else
            {
                for (int i = 0; i < dense.Count; i++) w.Line($"{penalty}.FillHessianDiagonal({Literals.Double(spec.Prior.Precisions[i])}, {Slice("diagonal", dense[i])});");
            }
        }
    }
}
