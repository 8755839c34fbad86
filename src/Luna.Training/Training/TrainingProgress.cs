using System.Text.Json.Serialization;

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
public sealed record EpochSummary(int Epoch, double Loss, double Accuracy, double Seconds)
{
    /// <summary>Where the epoch's time went, or null where the trainer does not measure it.</summary>
    public StepPhases? Phases { get; init; }
}

/// <summary>
/// Wall-clock seconds of one epoch spent in each phase of its training steps, summed over its batches. The phases
/// follow each other without a gap inside a step; what is left of <see cref="EpochSummary.Seconds"/> (freeing the
/// step's tensors, the progress report) is not in any of them. On the CPU every phase is timed exactly; on CUDA the
/// kernels run asynchronously, so their time shows up where the host next waits for them (<see cref="Read"/>).
/// </summary>
/// <param name="Data">Assembling the batch (augmentation, normalisation) and copying it into tensors on the device.</param>
/// <param name="Forward">The network's forward pass and the objective.</param>
/// <param name="Backward"><c>loss.backward()</c>: the gradients.</param>
/// <param name="Optimizer"><c>zero_grad</c>, the optimizer step and the center update.</param>
/// <param name="Read">Reading the loss and the number of correct predictions back to the host.</param>
public sealed record StepPhases(double Data, double Forward, double Backward, double Optimizer, double Read)
{
    /// <summary>The sum of the five phases.</summary>
    [JsonIgnore]
    public double Total => Data + Forward + Backward + Optimizer + Read;
}
