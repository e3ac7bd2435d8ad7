package io.sitter.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Built networks kept per executor JVM and configuration, so a round costs {@code setParams}
 * instead of a rebuild (building and initialising the net each round was a measured hot spot).
 * One network per concurrently running task: tasks borrow and return them.
 */
final class NetworkCache {
  private static final Map<String, Deque<Entry>> POOL = new ConcurrentHashMap<>();

  /** A built network and its parameter layout. */
  record Entry(MultiLayerNetwork net, NetworkLayout layout) {}

  private NetworkCache() {}

  static Entry borrow(String configurationJson) {
    Deque<Entry> pool = POOL.computeIfAbsent(configurationJson, k -> new ArrayDeque<>());
    synchronized (pool) {
      Entry e = pool.pollFirst();
      if (e != null) {
        return e;
      }
    }
    MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configurationJson));
    net.init();
    return new Entry(net, NetworkLayout.of(net));
  }

  /** Returns a network to the pool; a task that failed half-way must not return its network. */
  static void release(String configurationJson, Entry e) {
    e.net().setListeners();
    e.net().clear();
    Deque<Entry> pool = POOL.computeIfAbsent(configurationJson, k -> new ArrayDeque<>());
    synchronized (pool) {
      pool.addFirst(e);
    }
  }
}
