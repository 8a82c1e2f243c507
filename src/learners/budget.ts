// Default training budget (and SpIN's gradient clipping) of the replay learners (SpIN, ALLO and GGDO on a ReplayBuffer), in a
// module without TensorFlow so that command-line code can read it without loading a backend.

/**
 * Training steps of the replay learners unless set. GridRoom-64 from (x, y) needs ~60,000 (seed 2:
 * 0.978 at 20,000, 0.9961 at 60,000) and so does GridMaze-32, a grid outside shared/ (seed 0: 0.607
 * at 20,000, 0.9988 at 50,000); on small grids the extra steps change nothing, and on large ones
 * the time budget below ends training first.
 */
export const DEFAULT_REPLAY_STEPS = 60_000;

/** Training budget of the replay learners unless set: 9 minutes, so a run fits 10 minutes with collection and scoring. */
export const DEFAULT_MAX_SECONDS = 540;

/** Gradient-norm cap of replay SpIN, as a multiple of the running average norm (SpinReplayConfig.clipFactor). */
export const DEFAULT_CLIP_FACTOR = 4;
