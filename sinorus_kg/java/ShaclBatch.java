// Validate several data files against one shapes file in one JVM (Apache Jena SHACL).
// Usage: java -cp JENA ShaclBatch.java SHAPES DATA1 REPORT1 [DATA2 REPORT2 ...]
// Each report is written as N-Triples. Launched as a single-file source program (JEP 330),
// which a JRE can run: the project ships no compiled Java.
import java.io.FileOutputStream;
import java.io.OutputStream;
import org.apache.jena.graph.Graph;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.sys.JenaSystem;

public class ShaclBatch {
    public static void main(String[] args) throws Exception {
        JenaSystem.init();
        Shapes shapes = Shapes.parse(RDFDataMgr.loadGraph(args[0]));
        for (int i = 1; i + 1 < args.length; i += 2) {
            Graph data = RDFDataMgr.loadGraph(args[i]);
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            try (OutputStream out = new FileOutputStream(args[i + 1])) {
                RDFDataMgr.write(out, report.getGraph(), Lang.NTRIPLES);
            }
        }
    }
}
