// Call sites (file:line) per kubelet version. Lines of pkg/kubelet files come from the reference
// TSVs (kubelet-messages/all-klog-calls-pkg-kubelet-<ver>.tsv); lines of vendored/staging files
// outside pkg/kubelet (client-go event.go and reflector.go, the lease controller, cAdvisor,
// operation_generator.go, cmd/kubelet server.go) are plausible values, not verified per release.

export type SiteVersion = '1.20' | '1.23' | '1.26' | '1.28';
const VI: Record<SiteVersion, number> = { '1.20': 0, '1.23': 1, '1.26': 2, '1.28': 3 };

type Lines = readonly [number | null, number | null, number | null, number | null];
type Files = string | readonly [string, string, string, string];
/** [dir for the JSON caller, file name(s), line per version 1.20/1.23/1.26/1.28] */
type Def = readonly [string | readonly [string, string, string, string], Files, Lines];

const DEFS = {
  // kubelet.go
  syncLoopAdd: ['kubelet', 'kubelet.go', [1915, 2114, 2199, 2389]],
  syncLoopUpdate: ['kubelet', 'kubelet.go', [1922, 2121, 2206, 2396]],
  syncLoopRemove: ['kubelet', 'kubelet.go', [1925, 2124, 2209, 2399]],
  syncLoopReconcile: ['kubelet', 'kubelet.go', [1928, 2127, 2212, 2402]],
  syncLoopDelete: ['kubelet', 'kubelet.go', [1931, 2130, 2215, 2405]],
  syncLoopPleg: ['kubelet', 'kubelet.go', [1953, 2152, 2231, 2421]],
  syncLoopSync: ['kubelet', 'kubelet.go', [1972, 2171, 2250, 2440]],
  syncLoopProbe: ['kubelet', 'kubelet.go', [1986, 2224, 2303, 2493]],
  housekeeping: ['kubelet', 'kubelet.go', [1995, 2202, 2281, 2471]],
  housekeepingEnd: ['kubelet', 'kubelet.go', [null, 2210, 2289, 2479]],
  syncPodEnter: ['kubelet', 'kubelet.go', [null, 1554, 1613, 1695]],
  syncPodExit: ['kubelet', 'kubelet.go', [null, 1556, 1615, 1697]],
  termEnter: ['kubelet', 'kubelet.go', [null, 1795, 1858, 1980]],
  termExit: ['kubelet', 'kubelet.go', [null, 1796, 1859, 1981]],
  graceInt: ['kubelet', 'kubelet.go', [null, 1804, 1867, 1990]],
  graceNil: ['kubelet', 'kubelet.go', [null, 1806, 1869, 1992]],
  postTermState: ['kubelet', 'kubelet.go', [null, 1866, 1939, 2041]],
  stoppedAll: ['kubelet', 'kubelet.go', [null, 1873, 1955, 2064]],
  termdEnter: ['kubelet', 'kubelet.go', [null, 1883, 1965, 2115]],
  termdExit: ['kubelet', 'kubelet.go', [null, 1884, 1966, 2116]],
  unmountedVolumes: ['kubelet', 'kubelet.go', [null, 1896, 1979, 2129]],
  cleanedVolumePaths: ['kubelet', 'kubelet.go', [null, null, null, 2143]],
  removedCgroups: ['kubelet', 'kubelet.go', [null, 1917, 2000, 2165]],
  noMoreStatus: ['kubelet', 'kubelet.go', [null, 1922, 2007, 2172]],
  deletedMustBeKilled: ['kubelet', 'kubelet.go', [null, 1969, 2054, 2228]],
  creatingMirror: ['kubelet', 'kubelet.go', [1660, 1740, 1800, 1888]],
  mainSyncLoop: ['kubelet', 'kubelet.go', [1829, 2028, 2113, 2303]],
  // pod_workers.go
  firstSync: ['kubelet', 'pod_workers.go', [null, 571, 585, 770]],
  finishedProcessing: ['kubelet', 'pod_workers.go', [null, 611, 625, 842]],
  orphaned: ['kubelet', 'pod_workers.go', [null, 620, 634, 851]],
  gracefulDeletion: ['kubelet', 'pod_workers.go', [null, 625, 639, 856]],
  processing: ['kubelet', 'pod_workers.go', [null, 888, 902, 1232]],
  processingDone: ['kubelet', 'pod_workers.go', [null, 959, 973, 1308]],
  syncError: ['kubelet', 'pod_workers.go', [191, 951, 965, 1300]],
  podIsTerminal: ['kubelet', 'pod_workers.go', [null, 978, 992, 1327]],
  observedTerminate: ['kubelet', 'pod_workers.go', [null, 1005, 1019, 1354]],
  lifecycleCompleted: ['kubelet', 'pod_workers.go', [null, 1023, 1037, 1372]],
  terminatedAll: ['kubelet', 'pod_workers.go', [null, 1050, 1064, 1401]],
  completeWorkerStop: ['kubelet', 'pod_workers.go', [null, 1105, 1119, 1462]],
  removeHistory: ['kubelet', 'pod_workers.go', [null, 1258, 1272, 1636]],
  // kubelet_pods.go
  generatingStatus: ['kubelet', 'kubelet_pods.go', [1482, 1441, 1461, 1655]],
  gotPhase: ['kubelet', 'kubelet_pods.go', [null, 1453, 1471, 1668]],
  cleanPodWorkers: ['kubelet', 'kubelet_pods.go', [null, 1082, 1102, 1050]],
  cleanOrphanDirs: ['kubelet', 'kubelet_pods.go', [null, 1167, 1193, 1120]],
  cleanOrphanCgroups: ['kubelet', 'kubelet_pods.go', [null, 1185, 1211, 1273]],
  // kubelet_volumes.go
  orphanedPodRemoving: ['kubelet', 'kubelet_volumes.go', [145, 236, 236, 248]],
  cleanedOrphanDir: ['kubelet', 'kubelet_volumes.go', [null, 160, 160, 161]],
  // kubelet_node_status.go
  attemptRegister: ['kubelet', 'kubelet_node_status.go', [71, 70, 70, 70]],
  previouslyRegistered: ['kubelet', 'kubelet_node_status.go', [109, 108, 108, 108]],
  successfullyRegistered: ['kubelet', 'kubelet_node_status.go', [74, 73, 73, 73]],
  recordingNodeEvent: ['kubelet', 'kubelet_node_status.go', [554, 563, 669, 669]],
  nodeStatusError: ['kubelet', 'kubelet_node_status.go', [470, 460, 540, 540]],
  // pod_container_deletor.go
  containerNotFound: ['kubelet', 'pod_container_deletor.go', [79, 79, 80, 80]],
  // config
  receivingNewPod: ['config', 'config.go', [383, 383, 398, 398]],
  // topology manager
  topologyAdmit: ['topologymanager', 'topology_manager.go', [187, 200, 210, 215]],
  removeContainer: ['topologymanager', ['topology_manager.go', 'scope.go', 'scope.go', 'scope.go'], [219, 110, 115, 117]],
  // volume manager
  waitingVolumes: ['volumemanager', 'volume_manager.go', [373, 406, 408, 406]],
  allMounted: ['volumemanager', 'volume_manager.go', [404, 437, 439, 442]],
  waitingUnmount: ['volumemanager', 'volume_manager.go', [null, 446, 448, 451]],
  allUnmounted: ['volumemanager', 'volume_manager.go', [null, 473, 475, 480]],
  volumeManagerStart: ['volumemanager', 'volume_manager.go', [271, 291, 293, 291]],
  populatorStart: ['populator', 'desired_state_of_world_populator.go', [142, 147, 151, 151]],
  removeFromDesired: ['populator', 'desired_state_of_world_populator.go', [293, 258, 270, 261]],
  verifyAttached: ['reconciler', ['reconciler.go', 'reconciler.go', 'reconciler_common.go', 'reconciler_common.go'], [224, 221, 253, 258]],
  mountStarted: ['reconciler', ['reconciler.go', 'reconciler.go', 'reconciler_common.go', 'reconciler_common.go'], [269, 258, 228, 231]],
  unmountStarted: ['reconciler', ['reconciler.go', 'reconciler.go', 'reconciler_common.go', 'reconciler_common.go'], [196, 192, 169, 172]],
  volumeDetached: ['reconciler', ['reconciler.go', 'reconciler.go', 'reconciler_common.go', 'reconciler_common.go'], [319, 300, 295, 300]],
  reconcilerStart: ['reconciler', ['reconciler.go', 'reconciler.go', 'reconciler_new.go', 'reconciler_new.go'], [157, 157, 29, 29]],
  setupSucceeded: ['operationexecutor', 'operation_generator.go', [663, 714, 740, 713]],
  teardownSucceeded: ['operationexecutor', 'operation_generator.go', [788, 910, 904, 879]],
  // kuberuntime
  noSandbox: [['kuberuntime', 'kuberuntime', 'util', 'util'], ['kuberuntime_manager.go', 'kuberuntime_manager.go', 'util.go', 'util.go'], [439, 487, 30, 30]],
  receivedNewPod: ['kuberuntime', 'kuberuntime_manager.go', [687, 741, 690, 1018]],
  creatingSandbox: ['kuberuntime', 'kuberuntime_manager.go', [749, 803, 752, 1080]],
  createdSandbox: ['kuberuntime', 'kuberuntime_manager.go', [763, 841, 790, 1132]],
  determinedIP: ['kuberuntime', 'kuberuntime_manager.go', [782, 860, 813, 1155]],
  creatingContainer: ['kuberuntime', 'kuberuntime_manager.go', [819, 903, 856, 1198]],
  backOffRestart: ['kuberuntime', 'kuberuntime_manager.go', [891, 981, 933, 1288]],
  killingOverride: ['kuberuntime', 'kuberuntime_container.go', [632, 719, 705, 731]],
  killingGrace: ['kuberuntime', 'kuberuntime_container.go', [635, 723, 709, 745]],
  termFailed: ['kuberuntime', 'kuberuntime_container.go', [639, 728, 714, 750]],
  exitedNormally: ['kuberuntime', 'kuberuntime_container.go', [641, 732, 718, 754]],
  killFailed: ['kuberuntime', 'kuberuntime_container.go', [661, 753, 739, 775]],
  // dockershim network (1.20 printf, 1.23 structured)
  networkSetUp: ['network', 'plugins.go', [417, 407, null, null]],
  networkTearDown: ['network', 'plugins.go', [433, 420, null, null]],
  cniDeleting: ['cni', 'cni.go', [382, 376, null, null]],
  cniDeleted: ['cni', 'cni.go', [390, 384, null, null]],
  // PLEG
  genericPleg: ['pleg', 'generic.go', [155, 155, 182, 184]],
  containerFinished: ['pleg', 'generic.go', [null, 296, 332, 334]],
  plegDeleteStatus: ['pleg', 'generic.go', [377, 399, 434, 436]],
  // status manager
  statusStart: ['status', 'status_manager.go', [158, 161, 176, 217]],
  patchStatus: ['status', 'status_manager.go', [564, 685, 719, 874]],
  doesNotExist: ['status', 'status_manager.go', [544, 656, 690, 845]],
  fullyTerminated: ['status', 'status_manager.go', [591, 713, 757, 912]],
  // prober
  probeFailed: ['prober', 'prober.go', [117, 121, 109, 107]],
  probeSucceeded: ['prober', 'prober.go', [126, 130, 118, 116]],
  // startup latency
  observedStartup: ['util', 'pod_startup_latency_tracker.go', [null, null, 102, 102]],
  // eviction
  evictionHousekeeping: ['eviction', 'eviction_manager.go', [243, 237, 244, 241]],
  evictionNoStarved: ['eviction', 'eviction_manager.go', [334, 328, 335, 332]],
  // outside pkg/kubelet (approximate line numbers)
  event: ['record', 'event.go', [291, 294, 294, 307]],
  reflectorStart: ['cache', 'reflector.go', [207, 219, 221, 289]],
  reflectorStop: ['cache', 'reflector.go', [213, 225, 227, 295]],
  reflectorWatch: ['cache', 'reflector.go', [405, 442, 444, 456]],
  leaseUpdate: ['lease', 'controller.go', [178, 187, 189, 193]],
  cadvisorWatch: ['manager', 'manager.go', [1131, 1148, 1159, 1169]],
  cadvisorDestroyed: ['manager', 'manager.go', [1044, 1054, 1065, 1075]],
  serverVersion: ['app', 'server.go', [416, 440, 412, 467]],
  serverGolang: ['app', 'server.go', [null, 442, 414, 469]],
  serverClientRotation: ['app', 'server.go', [837, 866, 831, 895]],
  kubeletServer: ['server', 'server.go', [1176, 1164, 163, 162]],
} as const satisfies Record<string, Def>;

export type SiteKey = keyof typeof DEFS;

export interface Site {
  /** `kubelet.go:2389] ` — the header's file:line and the closing bracket. */
  readonly t: string;
  /** `kubelet/kubelet.go:2389` — the JSON `caller`. */
  readonly j: string;
}

export function resolveSites(ver: SiteVersion): Record<SiteKey, Site> {
  const i = VI[ver];
  const out = {} as Record<SiteKey, Site>;
  for (const key of Object.keys(DEFS) as SiteKey[]) {
    const [dirs, files, lines] = DEFS[key] as Def;
    const dir = typeof dirs === 'string' ? dirs : (dirs[i] as string);
    const file = typeof files === 'string' ? files : (files[i] as string);
    // A message absent from this version still gets a site (the nearest known line) so that a
    // caller error is visible as a wrong line number rather than a crash; renderers guard presence.
    let line = lines[i] ?? null;
    if (line === null) for (let k = i; k >= 0 && line === null; k--) line = lines[k] ?? null;
    if (line === null) for (let k = i; k < 4 && line === null; k++) line = lines[k] ?? null;
    out[key] = { t: `${file}:${line}] `, j: `${dir}/${file}:${line}` };
  }
  return out;
}
