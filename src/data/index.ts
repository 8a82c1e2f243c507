// Data area: NumPy .npy/.npz I/O for eigenfunctions, datasets and results; rollout datasets.
export * from './npy';
export * from './rollout';
export * from './frame_pairs';
