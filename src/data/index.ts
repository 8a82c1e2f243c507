// Data area: NumPy .npy/.npz I/O for eigenfunctions, datasets and results.
export * from './npy';
export * from './abstract_chain';
