"""One step of SGD with momentum.

PyTorch's torch.optim.SGD keeps a momentum buffer per parameter and, unlike
some textbooks, adds the raw gradient to it (no 1 − μ factor, no learning rate
inside). The step is a pure function here: it takes the state and returns the
new state.
"""


def sgd_momentum_step(
    p, g, buf, lr, momentum=0.9, weight_decay=0.0, nesterov=False
):
    """The parameters and momentum buffer after one step.

    PyTorch's update (no dampening):

        g ← g + weight_decay·p
        buf ← momentum·buf + g     (buf starts at zeros: the first buffer is g)
        d = g + momentum·buf if nesterov else buf
        p ← p − lr·d

    Parameters
    ----------
    p : ndarray of float64
        The parameters.
    g : ndarray of float64, the shape of p
        Their gradient.
    buf : ndarray of float64, the shape of p
        The momentum buffer (zeros before the first step).
    lr : float
    momentum : float, default 0.9
    weight_decay : float, default 0.0
    nesterov : bool, default False

    Returns
    -------
    p_new : ndarray of float64, the shape of p
    buf_new : ndarray of float64, the shape of p
    """
    g = g + weight_decay * p
    buf_new = momentum * buf + g
    direction = g + momentum * buf_new if nesterov else buf_new
    return p - lr * direction, buf_new
