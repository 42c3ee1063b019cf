using Dnn2Gp.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Dnn2Gp.Generators.Emitting;

/// <summary>Adds every part of one network to the compilation.</summary>
internal static class Emit
{
    public static void All(SourceProductionContext context, NetworkSpec spec, GeneratorOptions options)
    {
        context.AddSource(FileHeader.HintName(spec, "Network"), NetworkEmitter.Emit(spec));
        context.AddSource(FileHeader.HintName(spec, "Forward"), ForwardEmitter.EmitForward(spec));
        context.AddSource(FileHeader.HintName(spec, "Gradient"), ForwardEmitter.EmitGradient(spec));
        context.AddSource(FileHeader.HintName(spec, "Curvature"), CurvatureEmitter.Emit(spec));
        if (options.EmitGpu)
        {
            context.AddSource(FileHeader.HintName(spec, "Gpu"), GpuKernelEmitter.Emit(spec));
        }
    }
}
