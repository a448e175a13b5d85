namespace Heurist.TinyModels;

/// <summary>The element type of the tiny models' floating-point graph inputs, outputs and weights.</summary>
public enum TinyPrecision
{
    /// <summary>float32, as a default diffusers/Optimum ONNX export has.</summary>
    Fp32,

    /// <summary>float16, as an Optimum <c>--dtype fp16</c> export has; integer inputs stay integer.</summary>
    Fp16,
}
