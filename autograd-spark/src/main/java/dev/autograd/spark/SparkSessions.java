package dev.autograd.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The session training and scoring use when none is given: the active one if there is one (as under
 * {@code spark-submit}), else a new one on {@code spark.master} when that is configured (system
 * property or spark-defaults via spark-submit), else an embedded {@code local[*]}.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * The active session, else the default one, else a new session named {@code appName} ({@code
   * local[*]} unless {@code spark.master} is configured).
   */
  public static SparkSession getOrCreate(String appName) {
    scala.Option<SparkSession> active = SparkSession.getActiveSession();
    if (active.isDefined()) return active.get();
    scala.Option<SparkSession> dflt = SparkSession.getDefaultSession();
    if (dflt.isDefined()) return dflt.get();
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    if (!new SparkConf().contains("spark.master")) b.master("local[*]");
    return b.getOrCreate();
  }
}
