namespace MlNetIso.Trainers.IStar.Sweep;

/// <summary>
/// Outcome of an I-STAR sweep: every candidate with its fold accuracies, and the best one — the highest mean
/// cross-validated accuracy; ties go to the smaller fold standard deviation, then to the earlier candidate.
/// </summary>
/// <param name="SearchSpace">The space the candidates were drawn from.</param>
/// <param name="Candidates">All candidates, in evaluation order.</param>
/// <param name="Best">The chosen candidate.</param>
/// <param name="BestOptions">The sweep's base options with the best candidate's values set, ready to train on all the data.</param>
/// <param name="Folds">Cross-validation folds k.</param>
public sealed record IStarSweepResult(IStarSearchSpace SearchSpace, IReadOnlyList<IStarSweepCandidate> Candidates, IStarSweepCandidate Best,
    IStarOptions BestOptions, int Folds);
