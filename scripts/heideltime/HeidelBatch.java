// Runs HeidelTime standalone over many documents in one JVM (starting the
// JVM and TreeTagger per document costs ~4 s, which dominates the run).
//
// Usage: java -cp heideltime.jar:. HeidelBatch CONFIG IN_DIR OUT_DIR
// For each IN_DIR/NAME.txt (UTF-8) with IN_DIR/NAME.dct holding YYYY-MM-DD,
// writes OUT_DIR/NAME.tml: HeidelTime's TimeML output in news mode.
import de.unihd.dbs.heideltime.standalone.DocumentType;
import de.unihd.dbs.heideltime.standalone.HeidelTimeStandalone;
import de.unihd.dbs.heideltime.standalone.OutputType;
import de.unihd.dbs.heideltime.standalone.POSTagger;
import de.unihd.dbs.uima.annotator.heideltime.resources.Language;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.text.SimpleDateFormat;
import java.util.Arrays;
import java.util.Date;

public class HeidelBatch {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: HeidelBatch CONFIG IN_DIR OUT_DIR");
            System.exit(2);
        }
        HeidelTimeStandalone tagger = new HeidelTimeStandalone(
                Language.ENGLISH, DocumentType.NEWS, OutputType.TIMEML, args[0], POSTagger.TREETAGGER);
        File in = new File(args[1]);
        File out = new File(args[2]);
        out.mkdirs();
        String[] names = in.list((d, n) -> n.endsWith(".txt"));
        if (names == null) {
            System.err.println("cannot list " + in);
            System.exit(1);
        }
        Arrays.sort(names);
        SimpleDateFormat fmt = new SimpleDateFormat("yyyy-MM-dd");
        for (String name : names) {
            String stem = name.substring(0, name.length() - 4);
            File target = new File(out, stem + ".tml");
            if (target.exists()) {
                continue;
            }
            String text = new String(Files.readAllBytes(new File(in, name).toPath()), StandardCharsets.UTF_8);
            File dctFile = new File(in, stem + ".dct");
            String result;
            if (dctFile.exists()) {
                String dct = new String(Files.readAllBytes(dctFile.toPath()), StandardCharsets.UTF_8).trim();
                Date date = fmt.parse(dct);
                result = tagger.process(text, date);
            } else {
                result = tagger.process(text);
            }
            Files.write(target.toPath(), result.getBytes(StandardCharsets.UTF_8));
            System.err.println("heideltime: " + stem);
        }
    }
}
