package io.sitter.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Built networks kept per executor JVM and configuration, so a round costs {@code setParams}
 * instead of a rebuild (building and initialising the net each round was a measured hot spot).
 * One network per concurrently running task: tasks borrow and return them. Only the few most
 * recently used configurations are kept, so a JVM that trains many configurations one after the
 * other (a hyperparameter search) does not accumulate networks and their workspaces.
 */
final class NetworkCache {
  static final int CONFIGURATIONS = 4;

  /** Access-ordered: the eldest entry is the least recently used configuration. */
  private static final Map<String, Deque<Entry>> POOL = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Deque<Entry>> eldest) {
      return size() > CONFIGURATIONS;
    }
  };

  /** A built network and its parameter layout. */
  record Entry(MultiLayerNetwork net, NetworkLayout layout) {}

  private NetworkCache() {}

  static Entry borrow(String configurationJson) {
    synchronized (POOL) {
      Deque<Entry> pool = POOL.get(configurationJson);
      Entry e = pool == null ? null : pool.pollFirst();
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
    synchronized (POOL) {
      POOL.computeIfAbsent(configurationJson, k -> new ArrayDeque<>()).addFirst(e);
    }
  }
}
