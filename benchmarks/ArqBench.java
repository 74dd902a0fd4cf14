// Median latency of SPARQL queries on Apache Jena ARQ (in-memory dataset), for bench_scale.py.
// Usage: java -cp JENA ArqBench.java RUNS QUERY_DIR DATA1.ttl [DATA2.ttl ...]
// Runs every QUERY_DIR/*.rq (parameters already bound as a VALUES row) once to warm up,
// then RUNS times; prints "name<TAB>median_ms<TAB>rows" per query, and "#load<TAB>ms".
import java.nio.file.*;
import java.util.*;
import org.apache.jena.query.*;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.sys.JenaSystem;

public class ArqBench {
    static long count(Query q, Dataset ds) {
        try (QueryExecution qe = QueryExecutionFactory.create(q, ds)) {
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
        Dataset ds = DatasetFactory.createTxnMem();
        for (int i = 2; i < args.length; i++) RDFDataMgr.read(ds, args[i]);
        System.out.println("#load\t" + (System.nanoTime() - t0) / 1e6);
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Paths.get(args[1]), "*.rq")) { for (Path p : dir) files.add(p); }
        Collections.sort(files);
        for (Path p : files) {
            Query q = QueryFactory.create(Files.readString(p));
            long rows = count(q, ds);
            double[] times = new double[runs];
            for (int r = 0; r < runs; r++) { long s = System.nanoTime(); count(q, ds); times[r] = (System.nanoTime() - s) / 1e6; }
            Arrays.sort(times);
            String name = p.getFileName().toString().replace(".rq", "");
            System.out.println(name + "\t" + times[runs / 2] + "\t" + rows);
            System.out.flush();
        }
    }
}
