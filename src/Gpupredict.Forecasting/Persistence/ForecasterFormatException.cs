namespace Gpupredict.Forecasting.Persistence;

/// <summary>A saved forecaster cannot be read: wrong magic, an unknown version or policy, or truncated data.</summary>
public sealed class ForecasterFormatException(string message) : Exception(message);
