"""Learning-rate schedules of modern training runs: linear warm-up then cosine decay, and warm restarts.

Warm-up starts with a small learning rate because Adam's second-moment estimates rest on very few
gradients at first and a freshly initialised (especially post-norm) Transformer is fragile; the rate
then decays so that late updates average out the gradient noise. (The simple schedules, step,
exponential, cosine and a warm-up ramp, are in :func:`dlquiz.reference.training.lr_schedule`.)
"""

import numpy as np

__all__ = ["warmup_cosine_lr", "cosine_warm_restarts_lr"]


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    """Linear warm-up to the peak, then cosine decay to a floor: the LLM pre-training schedule.

        t < T_w:          η(t) = η_max · t / T_w
        T_w ≤ t ≤ T:      η(t) = η_min + ½(η_max − η_min)·(1 + cos(π·(t − T_w)/(T − T_w)))
        t > T:            η(t) = η_min

    Up to T, Hugging Face's ``get_cosine_schedule_with_warmup`` is the case η_min = 0 (its warm-up
    also starts at 0 at t = 0; past T its cosine rises again, ours stays at η_min). Step t is the
    0-based optimizer step.

    Parameters
    ----------
    step : int or array_like of int
        t.
    base_lr : float
        η_max, the peak.
    warmup_steps : int
        T_w ≥ 0.
    total_steps : int
        T > T_w.
    min_lr : float, default 0.0
        η_min (often 10 % of the peak).

    Returns
    -------
    float, or ndarray of the shape of ``step``
    """
    t = np.asarray(step, dtype=float)
    warm = base_lr * t / max(warmup_steps, 1)
    progress = np.clip((t - warmup_steps) / (total_steps - warmup_steps), 0.0, 1.0)
    decay = min_lr + 0.5 * (base_lr - min_lr) * (1.0 + np.cos(np.pi * progress))
    lr = np.where(t < warmup_steps, warm, decay)
    return float(lr) if lr.ndim == 0 else lr


def cosine_warm_restarts_lr(step, base_lr, first_period, period_mult=1, min_lr=0.0):
    """SGDR (Loshchilov & Hutter, 2017): cosine decay that restarts at the peak, periods growing.

        T₀ = first_period,  Tᵢ = T₀·mult^i;  at step t within period i, after T_cur steps in it:
        η(t) = η_min + ½(η_max − η_min)·(1 + cos(π·T_cur/Tᵢ))

    Matches ``torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)`` stepped
    once per step. The restarts are meant to let training leave a narrow basin (the SGDR paper's
    motivation), and the end of each period is a good snapshot for an ensemble: an exception to
    "always decay".

    Parameters
    ----------
    step : int or array_like of int
    base_lr : float
        η_max.
    first_period : int
        T₀ ≥ 1.
    period_mult : int, default 1
        T_mult ≥ 1.
    min_lr : float, default 0.0

    Returns
    -------
    float, or ndarray of the shape of ``step``
    """
    t = np.asarray(step, dtype=float)
    if period_mult == 1:
        period = np.full_like(t, float(first_period))
        t_cur = np.mod(t, first_period)
    else:
        # the index of the period containing t: T₀·(mult^i − 1)/(mult − 1) ≤ t
        def start_of(i):
            return first_period * (period_mult**i - 1) / (period_mult - 1)

        i = np.floor(np.log(t / first_period * (period_mult - 1) + 1) / np.log(period_mult))
        i = np.where(t >= start_of(i + 1), i + 1, i)  # correct a rounding of the logarithm at a boundary
        i = np.where(t < start_of(i), i - 1, i)
        start = start_of(i)
        period = first_period * period_mult**i
        t_cur = t - start
    lr = min_lr + 0.5 * (base_lr - min_lr) * (1.0 + np.cos(np.pi * t_cur / period))
    return float(lr) if lr.ndim == 0 else lr
