// Forked JVMs: in both invocations every test ran and passed, each fork (JVM) started one Kafka
// and one PostgreSQL server for all the classes it ran and printed one run summary, at its end,
// and no container of this build is left.
def log = new File(basedir, 'build.log').text
// invoker appends both invocations to one build.log: split at each Maven build's banner
def invocations = log.split(/(?m)^\[INFO\] Building forked 1/).drop(1)
assert invocations.size() == 2 : "expected two invocations in build.log, found ${invocations.size()}"
def sessions = [] as Set

[[reportsDir: 'target/reused-reports', reused: true], [reportsDir: 'target/fresh-reports', reused: false]]
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
    println "[consumer build] forked, reuseForks=${invocation.reused}: classes by fork ${classesByFork};"
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
        assert s[0].count('kafka (testcontainers) in ') == 1 : s[0]
        assert s[0].count('postgres (testcontainers) in ') == 1 : s[0]
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
println "[consumer build] forked: one server pair and one summary per fork, ${sessions.size()} forks, nothing left"
