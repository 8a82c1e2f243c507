// The spatial soft-argmax of a convolution as TF.js ops: the reference expression (every backend)
// of the fused native kernel EigenoptSoftArgmaxConv (native_kernels.ts, native/nn/soft_argmax.h),
// and its gradient with respect to the image.
import * as tf from '@tensorflow/tfjs';

/**
 * Row and column coordinates of an H x W grid, scaled so that the first and last row (column) map
 * to -1 and 1 (0 for a single row or column): [H * W, 2] row-major, pixel (i, j) -> (r_i, c_j).
 */
export function pixelCoordinates(H: number, W: number): Float32Array {
  const out = new Float32Array(H * W * 2);
  for (let i = 0; i < H; i++)
    for (let j = 0; j < W; j++) {
      out[(i * W + j) * 2] = H > 1 ? -1 + (2 * i) / (H - 1) : 0;
      out[(i * W + j) * 2 + 1] = W > 1 ? -1 + (2 * j) / (W - 1) : 0;
    }
  return out;
}

/**
 * logits [B, H*W, C] -> [B, 2C]: for each channel the expected (row, column) under the softmax of
 * its logits over the pixels (coordinates of pixelCoordinates), ordered (row_c, col_c).
 */
export function spatialSoftArgmax(logits: tf.Tensor3D, H: number, W: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [B, N, C] = logits.shape;
    const p = tf.softmax(tf.transpose(logits, [0, 2, 1])); // [B, C, N]
    const grid = tf.tensor2d(pixelCoordinates(H, W), [N, 2]);
    return tf.reshape(tf.matMul(tf.reshape(p, [B * C, N]), grid), [B, 2 * C]);
  });
}

/** Logits [B, H*W, F] of the stride-1 'same' convolution (no bias) of x [B, H, W, Cin] with filter [kh, kw, Cin, F]. */
function convLogits(x: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor3D {
  const [B, H, W] = x.shape;
  return tf.reshape(tf.conv2d(x, filter, 1, 'same'), [B, H * W, filter.shape[3]]);
}

/** [B, 2F]: the spatial soft-argmax of the stride-1 'same' convolution of x with filter (no bias). */
export function softArgmaxConvComposed(x: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => spatialSoftArgmax(convLogits(x, filter), x.shape[1], x.shape[2]));
}

/**
 * d(sum dy * softArgmaxConvComposed(x, filter))/dx for dy [B, 2F]: with P the softmax over the
 * pixels p of channel f and (r_p, c_p) their coordinates, the logit gradient is
 * dl[b, p, f] = P (dy[b, 2f] (r_p - E[r]) + dy[b, 2f+1] (c_p - E[c])), and dx is the transposed
 * convolution of dl with the filter. TF ops only (differentiable again).
 */
export function softArgmaxConvGradX(x: tf.Tensor4D, filter: tf.Tensor4D, dy: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [B, H, W] = x.shape;
    const F = filter.shape[3], N = H * W;
    const p = tf.reshape(tf.softmax(tf.transpose(convLogits(x, filter), [0, 2, 1])), [B * F, N]); // rows (b, f)
    const grid = tf.tensor2d(pixelCoordinates(H, W), [N, 2]);
    const d = tf.reshape(dy, [B * F, 2]);
    const mean = tf.matMul(p, grid); // [B*F, 2]: (E[r], E[c])
    // dy . (coord_p - E) = (d . grid^T)[p] - d . E
    const g = tf.sub(tf.matMul(d, grid, false, true), tf.sum(tf.mul(d, mean), 1, true)); // [B*F, N]
    const dl = tf.transpose(tf.reshape(tf.mul(p, g), [B, F, N]), [0, 2, 1]); // [B, N, F]
    return tf.conv2dTranspose(tf.reshape(dl, [B, H, W, F]) as tf.Tensor4D, filter, [B, H, W, x.shape[3]], 1, 'same');
  });
}
