package dev.tally.live;

class InProcessLiveCountersTest extends LiveCountersContract {
    @Override
    LiveState newState() {
        return new InProcessLiveState(86_400_000L);
    }
}
