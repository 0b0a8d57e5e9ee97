// A pod's workload: its name without what the controller made up (ReplicaSet hash, random
// suffix), so two nodes' `frontend-7d9f8b6c5-x2k4q` and `frontend-5c6d7e8f9-ab3cd` compare.
// StatefulSet ordinals (`web-0`) identify a pod, so they stay; static pods keep their node suffix.

const DEPLOYMENT = /^(.+)-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
const RANDOM_SUFFIX = /^(.+)-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
// Job pods of a CronJob: name-<schedule time in minutes>-<suffix>
const CRONJOB = /^(.+)-\d{8,}-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

export function workloadOf(namespace: string | undefined, name: string | undefined, isStatic: boolean): string | undefined {
  if (!name) return undefined;
  const ns = namespace ? `${namespace}/` : '';
  if (isStatic) return `${ns}${name}`;
  const m = CRONJOB.exec(name) ?? DEPLOYMENT.exec(name) ?? RANDOM_SUFFIX.exec(name);
  return `${ns}${m ? m[1] : name}`;
}
