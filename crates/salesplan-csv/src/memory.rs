//! Memory for large tables probed at random.

/// Asks Linux to back the buffer of `table` (its whole capacity) with huge pages when it
/// is larger than 4 MiB; Linux's transparent huge pages are often on request only. A
/// TLB entry then covers 2 MiB instead of 4 KiB, and most probes of a table of tens of
/// megabytes stop missing the TLB. Only advice: without it nothing changes but speed.
/// A vector that grows moves to a new buffer, so ask again after it grows.
pub fn huge_pages<T>(table: &mut Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        let start = table.as_mut_ptr() as usize;
        let end = start + table.capacity() * std::mem::size_of::<T>();
        let (from, to) = (start.next_multiple_of(PAGE), end / PAGE * PAGE);
        if to > from + (4 << 20) {
            use rustix::mm::{madvise, Advice};
            assert!(
                start <= from && to <= end,
                "the advised range is inside the buffer"
            );
            // SAFETY: the range lies inside the vector's allocation (checked above; its
            // spare capacity is allocated too), and huge pages change no byte of it.
            let _ = unsafe { madvise(from as *mut _, to - from, Advice::LinuxHugepage) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = table;
}

/// Asks for the cache line of `item`, for a table larger than the cache whose next
/// probes are known a few steps ahead: the cache misses then overlap.
#[inline]
pub fn prefetch<T>(item: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint that never faults, and `item` is a reference.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(item).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = item;
}
