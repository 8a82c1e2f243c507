import { expect } from 'chai';
import { GridWorld } from '../envs/gridworld';
import { RandomWalkLearner } from '../src/learners';
import { SpinLearner } from '../src/learners/spin';
import { cosine } from '../src/linalg';
import { stateValues } from '../src/models/eigenfunctions';

// SpIN (src/spin) with the slowness operator on four-room transitions, one-hot input, against the
// exact eigenvectors of I - P (the `rw` learner, an independent Jacobi eigendecomposition).
describe('spin learner on the four-room', () => {
  it('reaches |cos| >= 0.99 with each of the first 8 exact I - P eigenvectors, in order', async function () {
    this.timeout(900_000);
    const env = GridWorld.fromName('fourrooms');
    const exact = await new RandomWalkLearner().fit({ world: env }, 8);
    // the defaults, spelled out: every (s, a) transition once per minibatch (416), Adam 0.03
    // constant, moving averages at rate 0.1, 2,500 steps (1,040,000 transitions)
    const learner = new SpinLearner({
      observation: 'onehot',
      sampling: 'stratified',
      steps: 2500,
      learningRate: 0.03,
      finalLearningRateFactor: 1,
      decay: 0.1,
      seed: 0,
    });
    const res = await learner.fit({ world: env }, 8);
    const vectors = await stateValues(res, env);
    const cos = vectors.map((v, i) => Math.abs(cosine(v, exact.vectors[i])));
    for (let i = 0; i < 8; i++) expect(cos[i], `e${i + 1}: |cos| ${cos[i].toFixed(4)}`).to.be.at.least(0.99);
    for (let i = 0; i < 8; i++) expect(res.eigenvalues[i]).to.be.closeTo(exact.eigenvalues[i], 0.002);
    expect(res.info.transitions).to.equal(2500 * 416);
  });
});
