// Forked JVMs: in all four invocations every test ran and passed, each fork (JVM) started one Kafka
// and one PostgreSQL server for all the classes it ran (Testcontainers: invocations 1, 2; the
// external servers of setup.groovy: 3, 4) and printed one run summary, at its end, and no container
// of this build is left. On the external servers not one name of those runs (cr<run id>...) is
// left: no topic, consumer group (the run's lease group included), schema, database or role.
assert new File(basedir, 'external-reused.properties').exists() : \
        'setup.groovy did not start the external servers: see its error at the top of build.log'
def log = new File(basedir, 'build.log').text
// invoker appends both invocations to one build.log: split at each Maven build's banner
def invocations = log.split(/(?m)^\[INFO\] Building forked 1/).drop(1)
assert invocations.size() == 4 : "expected four invocations in build.log, found ${invocations.size()}"
def sessions = [] as Set
def externalRuns = [] as Set
def external = new Properties()
new File(basedir, 'external-reused.properties').withReader { external.load(it) }
def containers = [external['it.kafka.container'], external['it.postgres.container']]

try {
[[reportsDir: 'target/reused-reports', reused: true, engine: 'testcontainers'],
 [reportsDir: 'target/fresh-reports', reused: false, engine: 'testcontainers'],
 [reportsDir: 'target/external-reused-reports', reused: true, engine: 'external'],
 [reportsDir: 'target/external-fresh-reports', reused: false, engine: 'external']]
        .eachWithIndex { invocation, i ->
    binding.setVariable('reportsDir', invocation.reportsDir)
    expectedTests = 8
    evaluate(new File(itSources, 'tests-ran.groovy'))
    def text = invocations[i]
    // which JVM ran which class: its run id and its Testcontainers session
    def marks = (text =~ /\[forked\] (\w+) run (\w+) testcontainers-session ([\w-]+)/).collect { it.drop(1) }
    def classesByFork = marks.groupBy { it[1] }.collectEntries { fork, ms -> [fork, ms.collect { it[0] } as Set] }
    sessions.addAll(marks.collect { it[2] })
    def summaries = (text =~ /\[cleanroom\] run summary: (\d+) tests isolated[^\n]*/).collect { it }
    if (invocation.engine == 'external') {
        externalRuns.addAll(marks.collect { it[1] })
    }
    println "[consumer build] forked, ${invocation.engine}, reuseForks=${invocation.reused}: classes by fork ${classesByFork};"
    summaries.each { println "  ${it[0].take(400)}" }
    assert classesByFork.values().flatten().toSet().size() == 4 : classesByFork
    if (invocation.reused) {
        assert classesByFork.size() <= 2 : "forkCount=2 with reused forks ran the classes in ${classesByFork.size()} JVMs"
        assert classesByFork.size() < 4 : 'no fork ran two classes, so nothing shows that they share the servers'
    } else {
        assert classesByFork.size() == 4 : "reuseForks=false runs each class in a JVM of its own: ${classesByFork}"
    }
    // one summary per fork, counting every test that fork ran, with one start of each server
    assert summaries.size() == classesByFork.size() : "${summaries.size()} run summaries for ${classesByFork.size()} forks"
    assert summaries.collect { it[1] as int }.sort() == classesByFork.values().collect { it.size() * 2 }.sort()
    summaries.each { s ->
        assert s[0].count("kafka (${invocation.engine}) in ") == 1 : s[0]
        assert s[0].count("postgres (${invocation.engine}) in ") == 1 : s[0]
    }
}

// nothing left: no container of any of the forks' Testcontainers sessions
sessions.each { session ->
    def ps = ['docker', 'ps', '-a', '--format', '{{.ID}} {{.Image}} {{.Status}}',
              '--filter', "label=org.testcontainers.sessionId=${session}"].execute()
    def out = ps.text.trim()
    ps.waitFor()
    assert ps.exitValue() == 0 : 'docker ps failed'
    assert out.isEmpty() : "containers of Testcontainers session ${session} are left:\n${out}"
}
// the external servers: nothing named after any run (they served only this build's forks)
def run = { List<String> command ->
    def process = command.execute()
    def out = new StringBuilder(), err = new StringBuilder()
    process.consumeProcessOutput(out, err)
    assert process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) : "${command} did not finish within 60 s"
    assert process.exitValue() == 0 : "${command} failed: ${err}${out}"
    out.toString().readLines()*.trim().findAll()
}
def psql = { String sql -> run(['docker', 'exec', containers[1], 'psql', '-U', 'postgres', '-d', 'postgres', '-At', '-c', sql]) }
def postgresLeft = psql("SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname LIKE 'cr%'"
        + " UNION ALL SELECT 'database ' || datname FROM pg_database WHERE datname LIKE 'cr%'"
        + " UNION ALL SELECT 'role ' || rolname FROM pg_roles WHERE rolname LIKE 'cr%'")
// Kafka: the build's own kafka-clients (AdminClient) from the consumer builds' local repository
def repo = new File(basedir, '../../local-repo')
def jar = { String dir -> new File(repo, dir).listFiles().findAll { it.isDirectory() }.sort { it.name }.last()
        .listFiles().find { it.name.endsWith('.jar') && !it.name.contains('sources') }.toURI().toURL() }
def loader = new URLClassLoader([jar('org/apache/kafka/kafka-clients'), jar('org/slf4j/slf4j-api')] as URL[],
        ClassLoader.platformClassLoader)
def kafkaLeft = []
def previous = Thread.currentThread().contextClassLoader
Thread.currentThread().contextClassLoader = loader
try {
    def config = new Properties()
    config['bootstrap.servers'] = external['cleanroom.kafka.bootstrap-servers']
    def admin = loader.loadClass('org.apache.kafka.clients.admin.AdminClient').create(config)
    try {
        def options = loader.loadClass('org.apache.kafka.clients.admin.ListTopicsOptions').getConstructor().newInstance()
        def topics = admin.listTopics(options.listInternal(true)).names().get(60, java.util.concurrent.TimeUnit.SECONDS)
        // the broker the forks used: their consumer groups made Kafka create its offsets topic
        assert topics.contains('__consumer_offsets') : "the external broker has no __consumer_offsets topic: ${topics}"
        kafkaLeft += topics.findAll { it.startsWith('cr') }.collect { "topic ${it}" }
        kafkaLeft += admin.listConsumerGroups().all().get(60, java.util.concurrent.TimeUnit.SECONDS)
                .collect { it.groupId() }.findAll { it.startsWith('cr') }.collect { "group ${it}" }
    } finally {
        admin.close(java.time.Duration.ofSeconds(10))
    }
} finally {
    Thread.currentThread().contextClassLoader = previous
}
println "[consumer build] forked, external: runs ${externalRuns}; left on the servers: Kafka ${kafkaLeft}, PostgreSQL ${postgresLeft}"
assert externalRuns.size() >= 3 : "expected the runs of at least 3 forks on the external servers, found ${externalRuns}"
assert kafkaLeft.isEmpty() && postgresLeft.isEmpty() : \
        "names of the runs ${externalRuns} are left: Kafka ${kafkaLeft}, PostgreSQL ${postgresLeft}"
} finally {
    // the containers setup.groovy started, and only those
    containers.findAll().each { ['docker', 'rm', '-f', '-v', it].execute().waitFor(60, java.util.concurrent.TimeUnit.SECONDS) }
}
println "[consumer build] forked: one server pair and one summary per fork, ${sessions.size()} forks, nothing left"
