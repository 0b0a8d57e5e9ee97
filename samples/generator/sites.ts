// Call sites (`file.go:line`) per kubelet version column. pkg/kubelet lines of the columns 1.19,
// 1.20, 1.23, 1.25, 1.26 and 1.28 come from the reference TSVs (kubelet-messages/all-klog-calls-
// pkg-kubelet-<ver>.tsv: each message's text looked up in its file); the
// 1.31 and 1.32 columns hold the lines seen in samples/real 07 + 01 (1.31) and 08 (1.32.0), and
// for a call not seen there an estimate: its 1.28 line moved by the offset of the nearest seen
// call of the same file. Files outside pkg/kubelet (client-go event.go and reflector.go, the lease
// controller, cAdvisor, operation_generator.go, apimachinery runtime.go, component-base flags.go,
// cmd/kubelet server.go) are plausible values, not verified per release.

export type SiteColumn = '1.19' | '1.20' | '1.23' | '1.25' | '1.26' | '1.28' | '1.31' | '1.32';
const COLUMNS: readonly SiteColumn[] = ['1.19', '1.20', '1.23', '1.25', '1.26', '1.28', '1.31', '1.32'];
const C28 = 5;

type Lines = readonly [number | null, number | null, number | null, number | null, number | null, number | null, number | null, number | null];
type Files = string | readonly string[];
/** [file name (or one per column up to 1.28), line per column] */
type Def = readonly [Files, Lines];

const DEFS = {
  // ---- pkg/kubelet, from the TSVs (and samples/real for 1.31/1.32)
  syncLoopAdd: ['kubelet.go', [1827, 1915, 2114, 2074, 2199, 2389, null, 2474]],
  syncLoopUpdate: ['kubelet.go', [1834, 1922, 2121, 2081, 2206, 2396, null, null]],
  syncLoopRemove: ['kubelet.go', [1837, 1925, 2124, 2084, 2209, 2399, null, 2484]],
  syncLoopReconcile: ['kubelet.go', [1840, 1928, 2127, 2087, 2212, 2402, null, null]],
  syncLoopDelete: ['kubelet.go', [1843, 1931, 2130, 2090, 2215, 2405, null, 2490]],
  syncLoopPleg: ['kubelet.go', [1865, 1953, 2152, 2112, 2231, 2421, 2453, 2506]],
  syncLoopSync: ['kubelet.go', [1884, 1972, 2171, 2131, 2250, 2440, null, null]],
  syncLoopProbe: ['kubelet.go', [1898, 1986, 2224, 2184, 2303, 2493, 2542, null]],
  housekeeping: ['kubelet.go', [1907, 1995, 2202, 2162, 2281, 2471, null, null]],
  housekeepingEnd: ['kubelet.go', [null, null, 2210, 2170, 2289, 2479, null, null]],
  skippingPodSync: ['kubelet.go', [1765, 1853, 2052, 2012, 2137, 2327, null, null]],
  runtimeNetworkNotReady: ['kubelet.go', [2103, 2184, 2391, 2351, null, null, null, null]],
  unableToMount: ['kubelet.go', [1594, 1680, 1761, 1711, 1821, 1907, null, null]],
  notRunnable: ['kubelet.go', [null, null, 1636, 1586, 1696, 1779, null, null]],
  creatingMirror: ['kubelet.go', [1574, 1660, 1740, 1690, 1800, 1888, null, null]],
  mainSyncLoop: ['kubelet.go', [1741, 1829, 2028, 1988, 2113, 2303, null, null]],
  syncPodEnter: ['kubelet.go', [null, null, 1554, 1503, 1613, 1695, null, null]],
  syncPodExit: ['kubelet.go', [null, null, 1556, 1505, 1615, 1697, null, null]],
  termEnter: ['kubelet.go', [null, null, 1795, 1745, 1858, 1980, null, null]],
  termExit: ['kubelet.go', [null, null, 1796, 1746, 1859, 1981, null, null]],
  graceInt: ['kubelet.go', [null, null, 1804, 1754, 1867, 1990, null, null]],
  graceNil: ['kubelet.go', [null, null, 1806, 1756, 1869, 1992, null, null]],
  postTermState: ['kubelet.go', [null, null, 1866, 1826, 1939, 2041, null, null]],
  stoppedAll: ['kubelet.go', [null, null, 1873, 1833, 1955, 2064, null, null]],
  termdEnter: ['kubelet.go', [null, null, 1883, 1843, 1965, 2115, null, null]],
  termdExit: ['kubelet.go', [null, null, 1884, 1844, 1966, 2116, null, null]],
  unmountedVolumes: ['kubelet.go', [null, null, 1896, 1856, 1979, 2129, null, null]],
  cleanedVolumePaths: ['kubelet.go', [null, null, null, null, null, 2143, null, 2238]],
  removedCgroups: ['kubelet.go', [null, null, 1917, 1877, 2000, 2165, null, null]],
  noMoreStatus: ['kubelet.go', [null, null, 1922, 1882, 2007, 2172, null, null]],
  deletedMustBeKilled: ['kubelet.go', [null, null, 1969, 1929, 2054, 2228, null, 2322]],
  firstSync: ['pod_workers.go', [null, null, 571, 571, 585, 770, null, null]],
  finishedProcessing: ['pod_workers.go', [null, null, 611, 611, 625, 842, null, null]],
  orphaned: ['pod_workers.go', [null, null, 620, 620, 634, 851, null, null]],
  gracefulDeletion: ['pod_workers.go', [null, null, 625, 625, 639, 856, null, null]],
  terminalPhase: ['pod_workers.go', [null, null, 630, 630, 644, 861, null, null]],
  evictedTeardown: ['pod_workers.go', [null, null, 635, 635, 649, 866, null, null]],
  cancelSync: ['pod_workers.go', [null, null, 761, 761, 775, 972, null, 970]],
  notifyPending: ['pod_workers.go', [null, null, null, null, null, 965, null, null]],
  processing: ['pod_workers.go', [null, null, 888, 888, 902, 1232, null, null]],
  processingDone: ['pod_workers.go', [null, null, 878, 878, 892, 1308, null, null]],
  syncError: ['pod_workers.go', [191, 191, 951, 951, 965, 1300, null, null]],
  podIsTerminal: ['pod_workers.go', [null, null, 978, 978, 992, 1327, null, null]],
  observedTerminate: ['pod_workers.go', [null, null, 1005, 1005, 1019, 1354, null, null]],
  lifecycleCompleted: ['pod_workers.go', [null, null, 1023, 1023, 1037, 1372, null, null]],
  terminatedAll: ['pod_workers.go', [null, null, 1050, 1050, 1064, 1401, null, null]],
  completeWorkerStop: ['pod_workers.go', [null, null, 1105, 1105, 1119, 1462, null, null]],
  workerStopped: ['pod_workers.go', [null, null, null, null, null, 951, null, null]],
  removeHistory: ['pod_workers.go', [null, null, 1258, 1258, 1272, 1636, null, null]],
  generatingStatus: ['kubelet_pods.go', [1486, 1482, 1441, 1432, 1461, 1655, null, 1833]],
  gotPhase: ['kubelet_pods.go', [null, null, 1453, 1444, 1471, 1668, null, null]],
  cleanPodWorkers: ['kubelet_pods.go', [null, null, 1082, 1079, 1102, 1050, null, null]],
  cleanOrphanDirs: ['kubelet_pods.go', [null, null, 1167, 1164, 1193, 1120, null, null]],
  cleanOrphanCgroups: ['kubelet_pods.go', [null, null, 1185, 1182, 1211, 1273, null, null]],
  killingUnwantedPod: ['kubelet_pods.go', [1247, 1243, null, null, null, null, null, null]],
  orphanedPodRemoving: ['kubelet_volumes.go', [145, 145, 236, 236, 236, 248, null, null]],
  cleanedOrphanDir: ['kubelet_volumes.go', [null, null, 160, 160, 160, 161, 163, null]],
  attemptRegister: ['kubelet_node_status.go', [70, 71, 70, 70, 70, 70, null, null]],
  previouslyRegistered: ['kubelet_node_status.go', [108, 109, 108, 108, 108, 108, null, null]],
  successfullyRegistered: ['kubelet_node_status.go', [73, 74, 73, 73, 73, 73, null, null]],
  recordingNodeEvent: ['kubelet_node_status.go', [526, 554, 563, 563, 669, 669, 724, null]],
  nodeStatusError: ['kubelet_node_status.go', [442, 470, 460, 460, 540, 540, null, null]],
  nodeNotReady: ['setters.go', [555, 577, 578, 532, 548, 552, null, null]],
  containerNotFound: ['pod_container_deletor.go', [79, 79, 79, 79, 80, 80, null, null]],
  receivingNewPod: ['config.go', [383, 383, 383, 386, 398, 398, null, null]],
  topologyAdmit: ['topology_manager.go', [233, 187, 200, 200, 210, 215, null, null]],
  predicateFailed: ['predicate.go', [143, 143, 145, 133, 133, 151, null, null]],
  waitingVolumes: ['volume_manager.go', [372, 373, 406, 404, 408, 406, null, 404]],
  allMounted: ['volume_manager.go', [403, 404, 437, 435, 439, 442, null, 440]],
  waitingUnmount: ['volume_manager.go', [null, null, 446, 444, 448, 451, null, 449]],
  allUnmounted: ['volume_manager.go', [null, null, 473, 471, 475, 480, null, 477]],
  volumeManagerStart: ['volume_manager.go', [265, 271, 291, 289, 293, 291, null, null]],
  populatorStart: ['desired_state_of_world_populator.go', [139, 142, 147, 145, 151, 151, null, null]],
  removeFromDesired: ['desired_state_of_world_populator.go', [276, 293, 258, 253, 270, 261, null, null]],
  noSandbox: [['kuberuntime_manager.go', 'kuberuntime_manager.go', 'kuberuntime_manager.go', 'kuberuntime_manager.go', 'util.go', 'util.go'], [425, 439, 487, 469, 30, 30, null, 30]],
  noReadySandbox: [['kuberuntime_manager.go', 'kuberuntime_manager.go', 'kuberuntime_manager.go', 'kuberuntime_manager.go', 'util.go', 'util.go'], [443, 457, 506, 488, 48, 48, 48, 48]],
  receivedNewPod: ['kuberuntime_manager.go', [662, 687, 741, 723, 690, 1018, null, null]],
  creatingSandbox: ['kuberuntime_manager.go', [724, 749, 803, 785, 752, 1080, null, null]],
  createdSandbox: ['kuberuntime_manager.go', [738, 763, 841, 823, 790, 1132, null, null]],
  createSandboxFailed: ['kuberuntime_manager.go', [730, 755, 833, 815, 782, 1124, null, null]],
  failedCreateSandbox: ['kuberuntime_sandbox.go', [null, null, 70, 70, 72, 72, null, null]],
  determinedIP: ['kuberuntime_manager.go', [757, 782, 860, 846, 813, 1155, null, null]],
  creatingContainer: ['kuberuntime_manager.go', [794, 819, 903, 889, 856, 1198, null, null]],
  completedInit: ['kuberuntime_manager.go', [830, 855, 945, 931, 896, 1244, null, null]],
  containerStartFailed: ['kuberuntime_manager.go', [null, null, 917, 903, 870, 1212, null, null]],
  messageForContainer: ['kuberuntime_manager.go', [null, null, 710, 692, 659, 983, null, null]],
  backOffRestart: ['kuberuntime_manager.go', [null, null, 981, 967, 933, 1288, null, null]],
  killingOverride: ['kuberuntime_container.go', [632, 632, 719, 717, 705, 731, null, 788]],
  killingGrace: ['kuberuntime_container.go', [635, 635, 723, 721, 709, 745, null, 809]],
  termFailed: ['kuberuntime_container.go', [639, 639, 728, 726, 714, 750, null, null]],
  exitedNormally: ['kuberuntime_container.go', [641, 641, 732, 730, 718, 754, null, 818]],
  killFailed: ['kuberuntime_container.go', [null, 661, 753, 751, 739, 775, null, null]],
  networkSetUp: ['plugins.go', [408, 417, 404, null, null, null, null, null]],
  networkTearDown: ['plugins.go', [422, 433, 420, null, null, null, null, null]],
  cniDeleting: ['cni.go', [382, 382, 376, null, null, null, null, null]],
  cniDeleted: ['cni.go', [390, 390, 384, null, null, null, null, null]],
  genericPleg: ['generic.go', [155, 155, 155, 155, 182, 184, null, null]],
  containerFinished: ['generic.go', [null, null, 296, 296, 332, 334, 334, null]],
  plegDeleteStatus: ['generic.go', [377, 377, 399, 395, 434, 436, null, null]],
  statusStart: ['status_manager.go', [158, 158, 161, 161, 176, 217, null, null]],
  patchStatus: ['status_manager.go', [564, 564, 685, 685, 719, 874, null, 911]],
  doesNotExist: ['status_manager.go', [544, 544, 656, 656, 690, 845, null, null]],
  fullyTerminated: ['status_manager.go', [591, 591, 713, 713, 757, 912, null, 949]],
  delayingDeletion: ['status_manager.go', [null, null, null, null, null, 939, null, 976]],
  terminationFinished: ['status_manager.go', [null, null, null, null, null, 944, null, 981]],
  probeFailed: ['prober.go', [117, 117, 121, 114, 109, 107, null, null]],
  probeSucceeded: ['prober.go', [126, 126, 130, 123, 118, 116, null, null]],
  observedStartup: ['pod_startup_latency_tracker.go', [null, null, null, null, 102, 102, 104, 104]],
  evictionHousekeeping: ['eviction_manager.go', [243, 243, 237, 237, 244, 241, null, null]],
  evictionNoStarved: ['eviction_manager.go', [334, 334, 328, 328, 335, 332, null, null]],
  evictionReclaim: ['eviction_manager.go', [344, 344, 338, 338, 345, 342, null, null]],
  evictionMustEvict: ['eviction_manager.go', [355, 355, 349, 349, 356, 353, null, null]],
  evictionRanked: ['eviction_manager.go', [373, 373, 367, 367, 374, 371, null, null]],
  evictingPod: ['eviction_manager.go', [null, null, 566, 566, 583, 580, null, null]],
  evictionEvicted: ['eviction_manager.go', [589, 589, 575, 575, 595, 592, null, null]],
  evictionWaiting: ['eviction_manager.go', [204, 204, 198, 198, 204, 201, null, null]],
  evictionCleaned: ['eviction_manager.go', [416, 416, 410, 410, 426, 423, null, null]],
  oomEvent: ['oom_watcher_linux.go', [76, 76, 77, 77, 83, 83, null, null]],
  predicateFailedName: ['predicate.go', [139, 139, 141, 129, 129, 147, null, null]],
  // ---- pkg/kubelet calls not in the TSVs' versions (newer) or kept from the previous table
  // 1.31+ only; no source has its line (estimated from canAdmitPod's place in kubelet.go)
  podAdmissionDenied: ['kubelet.go', [null, null, null, null, null, null, 2333, 2364]],
  statusUpdated: ['status_manager.go', [572, 572, 694, 694, 728, 883, null, 920]],
  statusUpToDate: ['status_manager.go', [570, 570, 692, 692, 726, 881, null, 918]],
  computePodActions: ['kuberuntime_manager.go', [653, 678, 732, 714, 681, 1009, null, 1122]],
  markRunning: ['pod_startup_latency_tracker.go', [null, null, null, null, 162, 162, null, 172]],
  removeContainer: [['topology_manager.go', 'scope.go'], [219, 111, 110, 110, 115, 117, 117, null]],
  verifyAttached: [['reconciler.go', 'reconciler.go', 'reconciler.go', 'reconciler.go', 'reconciler_common.go'], [224, 224, 221, 270, 253, 258, 245, 251]],
  mountStarted: [['reconciler.go', 'reconciler.go', 'reconciler.go', 'reconciler.go', 'reconciler_common.go'], [269, 269, 258, 245, 228, 231, 218, 224]],
  unmountStarted: [['reconciler.go', 'reconciler.go', 'reconciler.go', 'reconciler.go', 'reconciler_common.go'], [196, 196, 192, 192, 169, 172, 159, null]],
  volumeDetached: [['reconciler.go', 'reconciler.go', 'reconciler.go', 'reconciler.go', 'reconciler_common.go'], [319, 319, 300, 312, 295, 300, 288, null]],
  reconcilerStart: [['reconciler.go', 'reconciler.go', 'reconciler.go', 'reconciler.go', 'reconciler_new.go'], [157, 157, 157, 157, 29, 29, null, null]],
  // ---- outside pkg/kubelet (approximate line numbers)
  setupSucceeded: ['operation_generator.go', [663, 663, 714, 740, 740, 713, 637, 614]],
  teardownSucceeded: ['operation_generator.go', [788, 788, 910, 904, 904, 879, 803, null]],
  event: ['event.go', [291, 291, 294, 294, 294, 307, null, 389]],
  reflectorStart: ['reflector.go', [207, 207, 219, 221, 221, 289, null, null]],
  reflectorStop: ['reflector.go', [213, 213, 225, 227, 227, 295, null, null]],
  reflectorWatch: ['reflector.go', [405, 405, 442, 444, 444, 456, null, null]],
  leaseUpdate: ['controller.go', [178, 178, 187, 189, 189, 193, null, null]],
  cadvisorWatch: ['manager.go', [1131, 1131, 1148, 1159, 1159, 1169, 1169, null]],
  cadvisorDestroyed: ['manager.go', [1044, 1044, 1054, 1065, 1065, 1075, null, null]],
  serverVersion: ['server.go', [416, 416, 440, 412, 412, 467, null, null]],
  serverGolang: ['server.go', [null, null, 442, 414, 414, 469, null, null]],
  serverClientRotation: ['server.go', [837, 837, 866, 831, 831, 895, null, null]],
  kubeletServer: ['server.go', [1176, 1176, 1164, 163, 163, 162, null, null]],
  volumeOpFailed: ['nestedpendingoperations.go', [270, 270, 335, 335, 348, 348, 348, 348]],
  flags: ['flags.go', [33, 33, 64, 64, 64, 64, 64, 64]],
  observedPanic: ['runtime.go', [78, 78, 78, 78, 78, 79, 142, 142]],
} as const satisfies Record<string, Def>;

export type SiteKey = keyof typeof DEFS;

export interface Site {
  /** `kubelet.go:2389] ` — the header's file:line and the closing bracket. */
  readonly t: string;
  /** `kubelet/kubelet.go:2389` — the JSON `caller`. */
  readonly j: string;
}

/** Directory of each file as zap's ShortCallerEncoder prints it (`kubelet/kubelet.go:2389`). */
const DIR: Record<string, string> = {
  'kubelet.go': 'kubelet',
  'pod_workers.go': 'kubelet',
  'kubelet_pods.go': 'kubelet',
  'kubelet_volumes.go': 'kubelet',
  'kubelet_node_status.go': 'kubelet',
  'pod_container_deletor.go': 'kubelet',
  'setters.go': 'nodestatus',
  'config.go': 'config',
  'topology_manager.go': 'topologymanager',
  'scope.go': 'topologymanager',
  'predicate.go': 'lifecycle',
  'volume_manager.go': 'volumemanager',
  'desired_state_of_world_populator.go': 'populator',
  'reconciler.go': 'reconciler',
  'reconciler_common.go': 'reconciler',
  'reconciler_new.go': 'reconciler',
  'operation_generator.go': 'operationexecutor',
  'kuberuntime_manager.go': 'kuberuntime',
  'kuberuntime_container.go': 'kuberuntime',
  'kuberuntime_sandbox.go': 'kuberuntime',
  'util.go': 'util',
  'plugins.go': 'network',
  'cni.go': 'cni',
  'generic.go': 'pleg',
  'status_manager.go': 'status',
  'prober.go': 'prober',
  'pod_startup_latency_tracker.go': 'util',
  'eviction_manager.go': 'eviction',
  'oom_watcher_linux.go': 'oom',
  'event.go': 'record',
  'reflector.go': 'cache',
  'controller.go': 'lease',
  'manager.go': 'manager',
  'server.go': 'app',
  'flags.go': 'flag',
  'runtime.go': 'runtime',
  'nestedpendingoperations.go': 'nestedpendingoperations',
};

function fileAt(files: Files, i: number): string {
  if (typeof files === 'string') return files;
  return files[Math.min(i, files.length - 1)] as string;
}

/**
 * The line of `key` in column `i`. A call absent from an old column gets the nearest known line
 * (renderers guard presence; a wrong call shows as a wrong line, not a crash). In the 1.31/1.32
 * columns an unseen call is estimated from the nearest seen call of the same file.
 */
function lineAt(key: SiteKey, i: number): number {
  const [files, lines] = DEFS[key] as Def;
  const own = lines[i];
  if (own !== null && own !== undefined) return own;
  const base = lines[C28] ?? nearestKnown(lines, C28);
  if (i <= C28) return nearestKnown(lines, i);
  const file = fileAt(files, C28);
  let best: { dist: number; offset: number } | null = null;
  for (const k of Object.keys(DEFS) as SiteKey[]) {
    const [f2, l2] = DEFS[k] as Def;
    const seen = l2[i];
    const at28 = l2[C28];
    if (seen === null || seen === undefined || at28 === null || at28 === undefined || fileAt(f2, C28) !== file) continue;
    const dist = Math.abs(at28 - base);
    if (!best || dist < best.dist) best = { dist, offset: seen - at28 };
  }
  return base + (best ? best.offset : 0);
}

function nearestKnown(lines: Lines, i: number): number {
  for (let d = 0; d < lines.length; d++) {
    const down = lines[i - d];
    if (down !== null && down !== undefined) return down;
    const up = lines[i + d];
    if (up !== null && up !== undefined) return up;
  }
  return 1;
}

export function resolveSites(col: SiteColumn): Record<SiteKey, Site> {
  const i = COLUMNS.indexOf(col);
  const out = {} as Record<SiteKey, Site>;
  for (const key of Object.keys(DEFS) as SiteKey[]) {
    const file = fileAt((DEFS[key] as Def)[0], i);
    const line = lineAt(key, i);
    out[key] = { t: `${file}:${line}] `, j: `${DIR[file] ?? 'kubelet'}/${file}:${line}` };
  }
  return out;
}
