// Invocations 3 and 4 run the forks on the external engines: this pre-build hook starts one Kafka
// and one PostgreSQL container from the configured images (CLEANROOM_KAFKA_IMAGE /
// CLEANROOM_POSTGRES_IMAGE, else the official ones) and writes their addresses to
// external-*.properties (the user properties of those invocations; surefire passes them to its forks).
// verify.groovy checks the servers afterwards and removes the containers; a shutdown hook of the
// Maven JVM removes them too, so nothing is left when the build fails before verify.groovy runs.
def env = System.getenv()
def kafkaImage = env.CLEANROOM_KAFKA_IMAGE ?: 'apache/kafka:4.4.0'
def postgresImage = env.CLEANROOM_POSTGRES_IMAGE ?: 'postgres:18-alpine'
def label = "cleanroom.consumer-build=forked-${UUID.randomUUID()}"

def run = { List<String> command, long seconds = 120 ->
    def process = command.execute()
    def out = new StringBuilder(), err = new StringBuilder()
    process.consumeProcessOutput(out, err)
    if (!process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly()
        throw new IllegalStateException("${command.join(' ')} did not finish within ${seconds} s")
    }
    if (process.exitValue() != 0) {
        throw new IllegalStateException("${command.join(' ')} failed (${process.exitValue()}): ${err}${out}")
    }
    out.toString().trim()
}
def freePort = { new ServerSocket(0).withCloseable { it.localPort } }
def started = []
def removeAll = {
    started.each { id -> ['docker', 'rm', '-f', '-v', id].execute().waitFor(60, java.util.concurrent.TimeUnit.SECONDS) }
}
Runtime.runtime.addShutdownHook(new Thread(removeAll as Runnable))

def awaitLog = { String id, String line, int times ->
    long deadline = System.nanoTime() + 120_000_000_000L
    while (true) {
        def logs = ['docker', 'logs', id].execute()
        def out = new StringBuilder()
        logs.consumeProcessOutput(out, out)
        logs.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)
        if (out.toString().count(line) >= times) return
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("container ${id} did not log '${line}' within 120 s:\n${out.toString().takeRight(2000)}")
        }
        Thread.sleep(500)
    }
}

try {
    int kafkaPort = freePort()
    String kafka = run(['docker', 'run', '-d', '--label', label, '-p', "127.0.0.1:${kafkaPort}:9092",
            '-e', 'KAFKA_NODE_ID=1', '-e', 'KAFKA_PROCESS_ROLES=broker,controller',
            '-e', 'KAFKA_LISTENERS=PLAINTEXT://:9092,CONTROLLER://:9093',
            '-e', "KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://localhost:${kafkaPort}",
            '-e', 'KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
            '-e', 'KAFKA_CONTROLLER_QUORUM_VOTERS=1@localhost:9093', '-e', 'KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER',
            '-e', 'KAFKA_INTER_BROKER_LISTENER_NAME=PLAINTEXT', '-e', 'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=1',
            '-e', 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR=1', '-e', 'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR=1',
            '-e', 'KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS=0', kafkaImage]*.toString())
    started << kafka
    int postgresPort = freePort()
    String postgres = run(['docker', 'run', '-d', '--label', label, '-p', "127.0.0.1:${postgresPort}:5432",
            '-e', 'POSTGRES_PASSWORD=external', postgresImage, 'postgres', '-c', 'fsync=off',
            '-c', 'max_connections=300']*.toString())
    started << postgres
    awaitLog(kafka, 'Kafka Server started', 1)
    awaitLog(postgres, 'database system is ready to accept connections', 2)
    def servers = """\
cleanroom.kafka.engine = external
cleanroom.kafka.bootstrap-servers = localhost:${kafkaPort}
cleanroom.postgres.engine = external
cleanroom.postgres.url = jdbc:postgresql://localhost:${postgresPort}/postgres
cleanroom.postgres.user = postgres
cleanroom.postgres.password = external
it.kafka.container = ${kafka}
it.postgres.container = ${postgres}
"""
    new File(basedir, 'external-reused.properties').text = servers + 'reuse.forks = true\nit.reports = external-reused-reports\n'
    new File(basedir, 'external-fresh.properties').text = servers + 'reuse.forks = false\nit.reports = external-fresh-reports\n'
    println "[consumer build] forked: external Kafka ${kafka.take(12)} on localhost:${kafkaPort}, PostgreSQL ${postgres.take(12)} on localhost:${postgresPort}"
} catch (Throwable e) {
    removeAll()
    throw e
}
