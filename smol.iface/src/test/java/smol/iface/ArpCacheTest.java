package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArpCacheTest {
    private static final long LIFETIME = 60_000_000;

    @Test
    void filledEntryIsFoundUntilItExpires() {
        ArpCache cache = new ArpCache(2, LIFETIME);

        cache.fill(1, 0xaa, 100);

        assertThat(cache.lookup(1, 100 + LIFETIME - 1)).isEqualTo(0xaa);
        assertThat(cache.lookup(1, 100 + LIFETIME)).isEqualTo(ArpCache.NO_ENTRY);
        assertThat(cache.lookup(2, 100)).isEqualTo(ArpCache.NO_ENTRY);
    }

    @Test
    void updateChangesOnlyLiveEntriesAndRestartsTheirLifetime() {
        ArpCache cache = new ArpCache(2, LIFETIME);

        assertThat(cache.update(1, 0xaa, 0)).isFalse();
        assertThat(cache.lookup(1, 0)).isEqualTo(ArpCache.NO_ENTRY);

        cache.fill(1, 0xaa, 0);
        assertThat(cache.update(1, 0xbb, 1000)).isTrue();

        assertThat(cache.lookup(1, LIFETIME + 999)).isEqualTo(0xbb);
    }

    @Test
    void confirmRestartsTheLifetimeOnlyForTheCachedMac() {
        ArpCache cache = new ArpCache(2, LIFETIME);
        assertThat(cache.confirm(1, 0xaa, 0)).isFalse();

        cache.fill(1, 0xaa, 0);
        assertThat(cache.confirm(1, 0xbb, 1000)).isFalse();
        assertThat(cache.lookup(1, 1000)).isEqualTo(0xaa);
        assertThat(cache.confirm(1, 0xaa, 1000)).isTrue();

        assertThat(cache.lookup(1, LIFETIME + 999)).isEqualTo(0xaa);
    }

    @Test
    void fullCacheEvictsTheEntryThatExpiresSoonest() {
        ArpCache cache = new ArpCache(2, LIFETIME);
        cache.fill(1, 0xa1, 0);
        cache.fill(2, 0xa2, 10);
        cache.fill(1, 0xa1, 20); // refreshed: now 2 is the oldest

        cache.fill(3, 0xa3, 30);

        assertThat(cache.lookup(1, 30)).isEqualTo(0xa1);
        assertThat(cache.lookup(2, 30)).isEqualTo(ArpCache.NO_ENTRY);
        assertThat(cache.lookup(3, 30)).isEqualTo(0xa3);
        assertThat(cache.size(30)).isEqualTo(2);
    }

    @Test
    void expiredEntryIsReplacedBeforeALiveOne() {
        ArpCache cache = new ArpCache(2, 100);
        cache.fill(1, 0xa1, 0);
        cache.fill(2, 0xa2, 50);

        cache.fill(3, 0xa3, 120); // 1 expired at 100, 2 lives until 150

        assertThat(cache.lookup(2, 120)).isEqualTo(0xa2);
        assertThat(cache.lookup(3, 120)).isEqualTo(0xa3);
    }

    @Test
    void removeAndClearForgetEntries() {
        ArpCache cache = new ArpCache(3, LIFETIME);
        cache.fill(1, 0xa1, 0);
        cache.fill(2, 0xa2, 0);

        assertThat(cache.remove(1, 0)).isTrue();
        assertThat(cache.remove(1, 0)).isFalse();
        assertThat(cache.toString(0)).isEqualTo("0.0.0.2 00-00-00-00-00-a2 expires=60000000\n");
        cache.clear();
        assertThat(cache.size(0)).isZero();
    }

    @Test
    void capacityAndLifetimeMustBePositive() {
        assertThatThrownBy(() -> new ArpCache(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
        assertThatThrownBy(() -> new ArpCache(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lifetime");
    }

    @Test
    void requestLimiterAllowsOneRequestPerAddressPerSecond() {
        ArpRequestLimiter limiter = new ArpRequestLimiter(1);

        assertThat(limiter.tryAcquire(1, 0)).isTrue();
        assertThat(limiter.tryAcquire(1, 999_999)).isFalse();
        assertThat(limiter.silentUntil(1, 5)).isEqualTo(1_000_000);
        assertThat(limiter.tryAcquire(1, 1_000_000)).isTrue();
        // full table: another address takes the slot, so address 1 may be asked again early
        assertThat(limiter.tryAcquire(2, 1_000_001)).isTrue();
        assertThat(limiter.tryAcquire(1, 1_000_002)).isTrue();
    }
}
