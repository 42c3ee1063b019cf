using System;
using System.Globalization;

namespace Dnn2Gp.Runtime;

/// <summary>
/// Argument checks shared by every generated network method. Each message names the network, the argument, what
/// was expected and what was given, so a shape mistake is found from the exception alone.
/// </summary>
public static class NetworkArguments
{
    /// <summary>Checks the parameter vector, the batch size and the inputs of a batched call.</summary>
    public static void CheckBatch(string network, int parametersLength, int parameterCount, int inputsLength, int inputSize, int batch)
    {
        CheckParameters(network, parametersLength, parameterCount);
        if (batch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"{network}: the batch size must be zero or positive, but it is {batch}.");
        }
        long needed = (long)batch * inputSize;
        if (inputsLength < needed)
        {
            throw new ArgumentException(
                $"{network}: 'inputs' has {Format(inputsLength)} elements, but a batch of {Format(batch)} examples of {Format(inputSize)} inputs needs {Format(needed)}.",
                "inputs");
        }
    }

    /// <summary>Checks the length of a parameter vector.</summary>
    public static void CheckParameters(string network, int parametersLength, int parameterCount)
    {
        if (parametersLength != parameterCount)
        {
            throw new ArgumentException(
                $"{network}: 'parameters' has {Format(parametersLength)} elements, but the network has {Format(parameterCount)} parameters.",
                "parameters");
        }
    }

    /// <summary>Checks the length of a gradient (or any parameter-shaped output) vector.</summary>
    public static void CheckGradient(string network, int gradientLength, int parameterCount)
    {
        if (gradientLength != parameterCount)
        {
            throw new ArgumentException(
                $"{network}: the gradient buffer has {Format(gradientLength)} elements, but the network has {Format(parameterCount)} parameters.",
                "gradient");
        }
    }

    /// <summary>Checks an outputs buffer of [batch, outputSize].</summary>
    public static void CheckOutputs(string network, int outputsLength, int outputSize, int batch)
    {
        long needed = (long)batch * outputSize;
        if (outputsLength < needed)
        {
            throw new ArgumentException(
                $"{network}: 'outputs' has {Format(outputsLength)} elements, but a batch of {Format(batch)} examples of {Format(outputSize)} outputs needs {Format(needed)}.",
                "outputs");
        }
    }

    /// <summary>Checks a targets buffer of [batch, targetSize].</summary>
    public static void CheckTargets(string network, int targetsLength, int targetSize, int batch)
    {
        long needed = (long)batch * targetSize;
        if (targetsLength < needed)
        {
            throw new ArgumentException(
                $"{network}: 'targets' has {Format(targetsLength)} elements, but a batch of {Format(batch)} examples of {Format(targetSize)} target values needs {Format(needed)}.",
                "targets");
        }
    }

    private static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
