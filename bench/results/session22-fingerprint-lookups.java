// How long the set of stored ids takes to say an id is not stored (every new event asks it), at a
// given size: java -Xmx4g -cp target/tally.jar bench/results/session22-fingerprint-lookups.java 10000000
import dev.tally.ingest.dedup.FingerprintSet;
import java.util.SplittableRandom;

public class FingerprintLookups {
    public static void main(String[] args) {
        long size = Long.parseLong(args[0]);
        SplittableRandom random = new SplittableRandom(1);
        FingerprintSet.Loader loader = FingerprintSet.loader(size);
        for (long index = 0; index < size; index++) {
            loader.add(random.nextLong());
        }
        FingerprintSet set = loader.finish();
        long[] absent = new long[2_000_000];
        for (int index = 0; index < absent.length; index++) {
            absent[index] = random.nextLong();
        }
        for (int round = 1; round <= 5; round++) {
            long started = System.nanoTime();
            int found = 0;
            for (long fingerprint : absent) {
                if (set.contains(fingerprint)) {
                    found++;
                }
            }
            System.out.printf("%d ids, round %d: %.1f ns a lookup of an absent id (%d found)%n", size, round,
                    (double) (System.nanoTime() - started) / absent.length, found);
        }
    }
}
