// Median latency of SPARQL queries on Apache Jena ARQ, for bench_scale.py: on an in-memory dataset,
// or on a TDB2 database (made by tdb2.tdbloader) when the first data argument is its folder.
// Usage: java -cp JENA ArqBench.java RUNS QUERY_DIR (DATA1.ttl [DATA2.ttl ...] | TDB2_DIR)
// Runs every QUERY_DIR/*.rq (parameters already bound as a VALUES row) once to warm up,
// then RUNS times; prints "name<TAB>median_ms<TAB>rows" per query, and "#load<TAB>ms".
// Environment: ARQBENCH_SLOW_MS — a query whose warm-up run took longer is timed by that run alone;
// ARQBENCH_TIMEOUT_MS — a query still running then is cancelled and reported as "name<TAB>Infinity<TAB>-1".
import java.nio.file.*;
import java.util.*;
import org.apache.jena.query.*;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.sys.JenaSystem;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.TDB2Factory;

public class ArqBench {
    static long env(String name) { String v = System.getenv(name); return v == null || v.isEmpty() ? 0 : Long.parseLong(v); }
    static final long TIMEOUT = env("ARQBENCH_TIMEOUT_MS"), SLOW = env("ARQBENCH_SLOW_MS");
    static long count(Query q, Dataset ds) {
        return Txn.calculateRead(ds, () -> countIn(q, ds));  // TDB2 reads only in a transaction
    }
    static long countIn(Query q, Dataset ds) {
        try (QueryExecution qe = QueryExecutionFactory.create(q, ds)) {
            if (TIMEOUT > 0) qe.setTimeout(TIMEOUT);
            if (q.isSelectType()) { long n = 0; ResultSet rs = qe.execSelect(); while (rs.hasNext()) { rs.next(); n++; } return n; }
            if (q.isAskType()) return qe.execAsk() ? 1 : 0;
            if (q.isConstructType()) return qe.execConstruct().size();
            return qe.execDescribe().size();
        }
    }
    public static void main(String[] args) throws Exception {
        JenaSystem.init();
        int runs = Integer.parseInt(args[0]);
        long t0 = System.nanoTime();
        Dataset ds;
        if (Files.isDirectory(Paths.get(args[2]))) ds = TDB2Factory.connectDataset(args[2]);
        else {
            ds = DatasetFactory.createTxnMem();
            for (int i = 2; i < args.length; i++) RDFDataMgr.read(ds, args[i]);
        }
        System.out.println("#load\t" + (System.nanoTime() - t0) / 1e6);
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Paths.get(args[1]), "*.rq")) { for (Path p : dir) files.add(p); }
        Collections.sort(files);
        for (Path p : files) {
            Query q = QueryFactory.create(Files.readString(p));
            String name = p.getFileName().toString().replace(".rq", "");
            long rows, s0 = System.nanoTime();
            try { rows = count(q, ds); } catch (QueryCancelledException e) {
                System.out.println(name + "\tInfinity\t-1"); System.out.flush(); continue;
            }
            double first = (System.nanoTime() - s0) / 1e6;
            int n = SLOW > 0 && first > SLOW ? 1 : runs;
            double[] times = new double[n];
            if (n < runs) times[0] = first;  // too slow to repeat: the warm-up run is the figure
            else for (int r = 0; r < n; r++) { long s = System.nanoTime(); count(q, ds); times[r] = (System.nanoTime() - s) / 1e6; }
            Arrays.sort(times);
            System.out.println(name + "\t" + times[n / 2] + "\t" + rows);
            System.out.flush();
        }
    }
}
