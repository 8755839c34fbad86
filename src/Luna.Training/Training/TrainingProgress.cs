namespace Luna.Training;

/// <summary>Progress of a training run, reported after every batch.</summary>
/// <param name="Epoch">Current epoch, 1-based.</param>
/// <param name="Epochs">Number of epochs of the run.</param>
/// <param name="Batch">Batches done in this epoch, 1-based.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">Mean training loss (the full objective) over this epoch's batches so far, weighted by batch size.</param>
/// <param name="Accuracy">Training accuracy (top-1 of the logits, on augmented images) over this epoch so far, in [0, 1].</param>
/// <param name="LearningRate">Learning rate of the last step.</param>
/// <param name="Elapsed">Time since the start of this epoch.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double Accuracy, double LearningRate, TimeSpan Elapsed);

/// <summary>Summary of one finished epoch.</summary>
/// <param name="Epoch">Epoch, 1-based.</param>
/// <param name="Loss">Mean training loss over the epoch.</param>
/// <param name="Accuracy">Training accuracy over the epoch, in [0, 1].</param>
/// <param name="Seconds">Wall-clock seconds the epoch took.</param>
public sealed record EpochSummary(int Epoch, double Loss, double Accuracy, double Seconds);
