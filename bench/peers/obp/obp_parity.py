"""Open Bandit Pipeline (obp 0.5.7) as the reference for nbg's off-policy estimators.

Two jobs, both seeded:
  vectors  small synthetic logged-bandit vectors (logged actions, rewards, propensities,
           evaluation-policy probabilities, reward-model predictions) and obp's point estimates
           on them, written as JSON (committed under test/fixtures/obp/ for the parity test).
  obd      obp's quickstart on the Open Bandit Dataset sample that ships inside obp
           (random logs, "all" campaign): Bernoulli TS as the evaluation policy, a logistic
           reward model; writes the flattened per-round arrays and obp's estimates as JSON so
           bench/ope.ts can run nbg's estimators on exactly the same inputs.

usage: python obp_parity.py vectors OUT.json
       python obp_parity.py obd OUT.json
"""
import json
import sys

import numpy as np
from obp.ope import (
    DirectMethod,
    DoublyRobust,
    InverseProbabilityWeighting,
    SelfNormalizedInverseProbabilityWeighting,
    SwitchDoublyRobust,
)

CLIP = 5.0  # lambda_ for clipped IPS and SWITCH-DR in the synthetic vectors


def estimators(clip):
    return {
        "dm": DirectMethod(),
        "ips": InverseProbabilityWeighting(),
        "clippedIps": InverseProbabilityWeighting(lambda_=clip, estimator_name="cipw"),
        "snips": SelfNormalizedInverseProbabilityWeighting(),
        "dr": DoublyRobust(),
        "switchDr": SwitchDoublyRobust(lambda_=clip),
    }


def estimate_all(clip, reward, action, pscore, action_dist, q_hat, position=None):
    out = {}
    for name, est in estimators(clip).items():
        kwargs = dict(action_dist=action_dist, position=position)
        if name != "dm":
            kwargs.update(reward=reward, action=action, pscore=pscore)
        if name in ("dm", "dr", "switchDr"):
            kwargs.update(estimated_rewards_by_reg_model=q_hat)
        out[name] = float(est.estimate_policy_value(**kwargs))
    return out


def one_case(rng, n, n_actions, reward_kind):
    # Logging policy: a random softmax per round; the logged action is drawn from it.
    logits = rng.normal(size=(n, n_actions))
    mu = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    action = np.array([rng.choice(n_actions, p=m) for m in mu])
    pscore = mu[np.arange(n), action]
    pi = rng.dirichlet(np.full(n_actions, 0.5), size=n)
    q_hat = rng.uniform(size=(n, n_actions))
    if reward_kind == "binary":
        reward = rng.binomial(1, q_hat[np.arange(n), action] * 0.8 + 0.1).astype(float)
    else:  # a net value: conversion x margin minus a contact cost, can be negative
        reward = rng.binomial(1, 0.2, size=n) * 120.0 - rng.choice([0.0, 0.1, 8.0, 25.0], size=n)
        q_hat = q_hat * 60.0 - 10.0
    est = estimate_all(
        CLIP, reward, action, pscore, pi[:, :, None], q_hat[:, :, None]
    )
    return {
        "name": f"{reward_kind}-n{n}-a{n_actions}",
        "nRounds": n,
        "nActions": n_actions,
        "clip": CLIP,
        "action": action.tolist(),
        "reward": reward.tolist(),
        "pscore": pscore.tolist(),
        "actionDist": pi.reshape(-1).tolist(),
        "rewardHat": q_hat.reshape(-1).tolist(),
        "obp": est,
    }


def vectors(out_path):
    rng = np.random.default_rng(20240611)
    cases = [one_case(rng, 300, 6, "binary"), one_case(rng, 200, 4, "net")]
    import obp

    with open(out_path, "w") as f:
        json.dump({"obpVersion": obp.__version__, "cases": cases}, f)


def obd(out_path):
    from pathlib import Path

    import obp
    from obp.dataset import OpenBanditDataset
    from obp.ope import RegressionModel
    from obp.policy import BernoulliTS
    from sklearn.linear_model import LogisticRegression

    dataset = OpenBanditDataset(behavior_policy="random", campaign="all")
    fb = dataset.obtain_batch_bandit_feedback()
    policy = BernoulliTS(
        n_actions=dataset.n_actions,
        len_list=dataset.len_list,
        is_zozotown_prior=True,
        campaign="all",
        random_state=12345,
    )
    action_dist = policy.compute_batch_action_dist(n_sim=100_000, n_rounds=fb["n_rounds"])
    reg = RegressionModel(
        n_actions=dataset.n_actions,
        len_list=dataset.len_list,
        action_context=dataset.action_context,
        base_model=LogisticRegression(C=100, max_iter=1000, random_state=12345),
    )
    q_hat = reg.fit_predict(
        context=fb["context"],
        action=fb["action"],
        reward=fb["reward"],
        position=fb["position"],
        pscore=fb["pscore"],
        n_folds=3,
        random_state=12345,
    )
    n = fb["n_rounds"]
    pos = fb["position"]
    clip = 100.0
    est = estimate_all(
        clip, fb["reward"], fb["action"], fb["pscore"], action_dist, q_hat, position=pos
    )
    # The on-policy value of Bernoulli TS, from its own logs (obp's ground truth for this sample).
    on_policy = float(
        OpenBanditDataset.calc_on_policy_policy_value_estimate(
            behavior_policy="bts", campaign="all"
        )
    )
    with open(out_path, "w") as f:
        json.dump(
            {
                "obpVersion": obp.__version__,
                "name": "obd-random-all-bts",
                "nRounds": int(n),
                "nActions": int(dataset.n_actions),
                "lenList": int(dataset.len_list),
                "clip": clip,
                "action": fb["action"].tolist(),
                "reward": fb["reward"].astype(float).tolist(),
                "pscore": fb["pscore"].tolist(),
                "actionDist": action_dist[np.arange(n), :, pos].reshape(-1).tolist(),
                "rewardHat": q_hat[np.arange(n), :, pos].reshape(-1).tolist(),
                "onPolicyValue": on_policy,
                "obp": est,
            },
            f,
        )


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("vectors", "obd"):
        sys.exit(__doc__)
    {"vectors": vectors, "obd": obd}[sys.argv[1]](sys.argv[2])
