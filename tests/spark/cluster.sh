#!/usr/bin/env bash
# A real Apache Spark standalone cluster on 127.0.0.1 for the `spark` feature's tests: a master
# and a worker as separate processes, and the Spark Connect server submitted to that master.
# Everything comes from the `pyspark` package of the Python registry (it bundles Spark's jars,
# `spark-class` and the connect server) and a Java 17 runtime (Debian's openjdk-17-jre-headless).
#
#   tests/spark/cluster.sh start   # prints `export REGIS_SPARK_URL=sc://127.0.0.1:15002`
#   tests/spark/cluster.sh stop    # stops the three processes by PID
#
# State (PIDs, logs, the venv) lives in $REGIS_SPARK_STATE (default /tmp/regis-spark).
set -euo pipefail
STATE="${REGIS_SPARK_STATE:-/tmp/regis-spark}"
VENV="${REGIS_SPARK_VENV:-$STATE/venv}"
PYSPARK_VERSION="${REGIS_PYSPARK_VERSION:-4.0.1}"
MASTER_PORT=7077
CONNECT_PORT="${REGIS_SPARK_CONNECT_PORT:-15002}"
mkdir -p "$STATE"

wait_port() { # port seconds what
    for _ in $(seq 1 "$2"); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 1
    done
    echo "spark cluster: $3 did not listen on 127.0.0.1:$1 within $2 s; its log:" >&2
    tail -40 "$STATE/$3.log" >&2 || true
    return 1
}

start() {
    if ! command -v java >/dev/null 2>&1; then
        echo "== installing openjdk-17-jre-headless (Debian package)"
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null
    fi
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import pyspark" 2>/dev/null; then
        echo "== installing pyspark $PYSPARK_VERSION (Python registry) into $VENV"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q "pyspark==$PYSPARK_VERSION"
    fi
    SPARK_HOME="$("$VENV/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
    export SPARK_HOME SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1
    connect_jar=$(ls "$SPARK_HOME"/jars/spark-connect_*.jar | head -1)
    stop quiet
    echo "== spark master on 127.0.0.1:$MASTER_PORT"
    nohup "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
        --host 127.0.0.1 --port "$MASTER_PORT" --webui-port 18080 >"$STATE/master.log" 2>&1 &
    echo $! >"$STATE/master.pid"
    wait_port "$MASTER_PORT" 60 master
    echo "== spark worker (2 cores, 3 GB)"
    nohup "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker \
        --host 127.0.0.1 --cores 2 --memory 3g --webui-port 18081 \
        "spark://127.0.0.1:$MASTER_PORT" >"$STATE/worker.log" 2>&1 &
    echo $! >"$STATE/worker.pid"
    echo "== spark connect server on 127.0.0.1:$CONNECT_PORT, submitted to the master"
    nohup "$SPARK_HOME/bin/spark-submit" --class org.apache.spark.sql.connect.service.SparkConnectServer \
        --master "spark://127.0.0.1:$MASTER_PORT" --name regis-connect \
        --conf spark.connect.grpc.binding.address=127.0.0.1 \
        --conf spark.connect.grpc.binding.port="$CONNECT_PORT" \
        --conf spark.executor.memory=2g --conf spark.driver.memory=1g \
        --conf spark.sql.shuffle.partitions=8 --conf spark.ui.enabled=false \
        "$connect_jar" >"$STATE/connect.log" 2>&1 &
    echo $! >"$STATE/connect.pid"
    wait_port "$CONNECT_PORT" 90 connect
    echo "export REGIS_SPARK_URL=sc://127.0.0.1:$CONNECT_PORT"
}

stop() {
    for p in connect worker master; do
        f="$STATE/$p.pid"
        [ -f "$f" ] || continue
        pid=$(cat "$f")
        if kill -0 "$pid" 2>/dev/null; then
            [ "${1:-}" = quiet ] || echo "== stopping spark $p (pid $pid)"
            # spark-class execs java, so the PID is the JVM's; its children go with it.
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$f"
    done
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
