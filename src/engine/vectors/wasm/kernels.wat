;; SIMD128 distance kernels for Sift's vector indexes.
;; Built into kernels-wasm.ts by scripts/build-kernels.mjs (wabt).
;; Memory is imported so each vector buffer owns and grows its own.
(module
  (import "env" "memory" (memory 1))

  ;; Inner product of n floats at a and b: 16 per step over 4 accumulators
  ;; (hides add latency), then 4 per step, then scalar.
  (func $dot (export "dot") (param $a i32) (param $b i32) (param $n i32) (result f32)
    (local $end i32) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $s f32)
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $n) (i32.const -16)) (i32.const 2))))
    (block $done16
      (br_if $done16 (i32.ge_u (local.get $a) (local.get $end)))
      (loop $l16
        (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b)))))
        (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (br_if $l16 (i32.lt_u (local.get $a) (local.get $end)))))
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $n) (i32.const 12)) (i32.const 2))))
    (block $done4
      (br_if $done4 (i32.ge_u (local.get $a) (local.get $end)))
      (loop $l4
        (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br_if $l4 (i32.lt_u (local.get $a) (local.get $end)))))
    (local.set $acc0 (f32x4.add (f32x4.add (local.get $acc0) (local.get $acc1)) (f32x4.add (local.get $acc2) (local.get $acc3))))
    (local.set $s (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0)))))
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $done1
      (br_if $done1 (i32.ge_u (local.get $a) (local.get $end)))
      (loop $l1
        (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (br_if $l1 (i32.lt_u (local.get $a) (local.get $end)))))
    (local.get $s))

  ;; Squared Euclidean distance, same structure as $dot.
  (func $l2 (export "l2") (param $a i32) (param $b i32) (param $n i32) (result f32)
    (local $end i32) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $d v128) (local $s f32) (local $t f32)
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $n) (i32.const -16)) (i32.const 2))))
    (block $done16
      (br_if $done16 (i32.ge_u (local.get $a) (local.get $end)))
      (loop $l16
        (local.set $d (f32x4.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $d) (local.get $d))))
        (local.set $d (f32x4.sub (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b))))
        (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $d) (local.get $d))))
        (local.set $d (f32x4.sub (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b))))
        (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $d) (local.get $d))))
        (local.set $d (f32x4.sub (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b))))
        (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $d) (local.get $d))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (br_if $l16 (i32.lt_u (local.get $a) (local.get $end)))))
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $n) (i32.const 12)) (i32.const 2))))
    (block $done4
      (br_if $done4 (i32.ge_u (local.get $a) (local.get $end)))
      (loop $l4
        (local.set $d (f32x4.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $d) (local.get $d))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br_if $l4 (i32.lt_u (local.get $a) (local.get $end)))))
    (local.set $acc0 (f32x4.add (f32x4.add (local.get $acc0) (local.get $acc1)) (f32x4.add (local.get $acc2) (local.get $acc3))))
    (local.set $s (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0)))))
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $done1
      (br_if $done1 (i32.ge_u (local.get $a) (local.get $end)))
      (loop $l1
        (local.set $t (f32.sub (f32.load (local.get $a)) (f32.load (local.get $b))))
        (local.set $s (f32.add (local.get $s) (f32.mul (local.get $t) (local.get $t))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (br_if $l1 (i32.lt_u (local.get $a) (local.get $end)))))
    (local.get $s))

  ;; out[i] = dot(q, rows + i*dim) for i < count: a whole block per call, so
  ;; the JS-to-WASM crossing is paid once per block, not per row.
  (func (export "dot_rows") (param $q i32) (param $rows i32) (param $count i32) (param $dim i32) (param $out i32)
    (local $stride i32) (local $end i32)
    (local.set $stride (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (loop $l
        (f32.store (local.get $out) (call $dot (local.get $q) (local.get $rows) (local.get $dim)))
        (local.set $rows (i32.add (local.get $rows) (local.get $stride)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $l (i32.lt_u (local.get $out) (local.get $end))))))

  (func (export "l2_rows") (param $q i32) (param $rows i32) (param $count i32) (param $dim i32) (param $out i32)
    (local $stride i32) (local $end i32)
    (local.set $stride (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (loop $l
        (f32.store (local.get $out) (call $l2 (local.get $q) (local.get $rows) (local.get $dim)))
        (local.set $rows (i32.add (local.get $rows) (local.get $stride)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $l (i32.lt_u (local.get $out) (local.get $end))))))

  ;; Reads one word of every 64-byte line of each listed row before any
  ;; scoring: graph rows sit at random addresses and WASM has no prefetch, so
  ;; issuing all the rows' cache misses together overlaps their latency.
  (func $touch_rows (param $ids i32) (param $count i32) (param $stride i32) (param $data i32)
    (local $end i32) (local $p i32) (local $rowEnd i32)
    (local.set $end (i32.add (local.get $ids) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $ids) (local.get $end)))
      (loop $rows
        (local.set $p (i32.add (local.get $data) (i32.mul (i32.load (local.get $ids)) (local.get $stride))))
        (local.set $rowEnd (i32.add (local.get $p) (local.get $stride)))
        (loop $lines
          (drop (i32.load (local.get $p)))
          (local.set $p (i32.add (local.get $p) (i32.const 64)))
          (br_if $lines (i32.lt_u (local.get $p) (local.get $rowEnd))))
        (local.set $ids (i32.add (local.get $ids) (i32.const 4)))
        (br_if $rows (i32.lt_u (local.get $ids) (local.get $end))))))

  ;; out[i] = dot(q, data + ids[i]*dim) for i < count: the unvisited neighbours
  ;; of one graph node scored in one call, so a search crosses into WASM once
  ;; per expanded node instead of once per neighbour.
  (func (export "dot_ids") (param $q i32) (param $ids i32) (param $count i32) (param $dim i32) (param $data i32) (param $out i32)
    (local $stride i32) (local $end i32)
    (local.set $stride (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (call $touch_rows (local.get $ids) (local.get $count) (local.get $stride) (local.get $data))
    (block $done
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (loop $l
        (f32.store (local.get $out)
          (call $dot (local.get $q)
            (i32.add (local.get $data) (i32.mul (i32.load (local.get $ids)) (local.get $stride)))
            (local.get $dim)))
        (local.set $ids (i32.add (local.get $ids) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $l (i32.lt_u (local.get $out) (local.get $end))))))

  (func (export "l2_ids") (param $q i32) (param $ids i32) (param $count i32) (param $dim i32) (param $data i32) (param $out i32)
    (local $stride i32) (local $end i32)
    (local.set $stride (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (call $touch_rows (local.get $ids) (local.get $count) (local.get $stride) (local.get $data))
    (block $done
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (loop $l
        (f32.store (local.get $out)
          (call $l2 (local.get $q)
            (i32.add (local.get $data) (i32.mul (i32.load (local.get $ids)) (local.get $stride)))
            (local.get $dim)))
        (local.set $ids (i32.add (local.get $ids) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $l (i32.lt_u (local.get $out) (local.get $end))))))

  ;; ---- SQ8 (8-bit scalar quantized) kernels, generated into this file once ----
  (func $sq8_dot (export "sq8_dot") (param $q i32) (param $c i32) (param $n i32) (result f32)
    (local $end i32) (local $v v128) (local $h v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $s f32) (local $x f32)
    (local.set $end (i32.add (local.get $c) (i32.and (local.get $n) (i32.const -16))))
    (block $done16
      (br_if $done16 (i32.ge_u (local.get $c) (local.get $end)))
      (loop $l16
        (local.set $v (v128.load (local.get $c)))
        (local.set $h (i16x8.extend_low_i8x16_u (local.get $v)))
        (local.set $c0 (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $h))))
        (local.set $c1 (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $h))))
        (local.set $h (i16x8.extend_high_i8x16_u (local.get $v)))
        (local.set $c2 (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $h))))
        (local.set $c3 (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $h))))
        (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $c0) (v128.load offset=0 (local.get $q)))))
        (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $c1) (v128.load offset=16 (local.get $q)))))
        (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $c2) (v128.load offset=32 (local.get $q)))))
        (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $c3) (v128.load offset=48 (local.get $q)))))
        (local.set $q (i32.add (local.get $q) (i32.const 64)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br_if $l16 (i32.lt_u (local.get $c) (local.get $end)))))
    (local.set $acc0 (f32x4.add (f32x4.add (local.get $acc0) (local.get $acc1)) (f32x4.add (local.get $acc2) (local.get $acc3))))
    (local.set $s (f32.add (local.get $s) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0))))))
    (local.set $end (i32.add (local.get $c) (i32.and (local.get $n) (i32.const 15))))
    (block $done1
      (br_if $done1 (i32.ge_u (local.get $c) (local.get $end)))
      (loop $l1
        (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $q)) (f32.convert_i32_u (i32.load8_u (local.get $c))))))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br_if $l1 (i32.lt_u (local.get $c) (local.get $end)))))
    (local.get $s))

  (func $sq8_l2 (export "sq8_l2") (param $q i32) (param $w i32) (param $c i32) (param $n i32) (result f32)
    (local $end i32) (local $v v128) (local $h v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $s f32) (local $x f32)
    (local.set $end (i32.add (local.get $c) (i32.and (local.get $n) (i32.const -16))))
    (block $done16
      (br_if $done16 (i32.ge_u (local.get $c) (local.get $end)))
      (loop $l16
        (local.set $v (v128.load (local.get $c)))
        (local.set $h (i16x8.extend_low_i8x16_u (local.get $v)))
        (local.set $c0 (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $h))))
        (local.set $c1 (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $h))))
        (local.set $h (i16x8.extend_high_i8x16_u (local.get $v)))
        (local.set $c2 (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $h))))
        (local.set $c3 (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $h))))
        (local.set $c0 (f32x4.sub (v128.load offset=0 (local.get $q)) (local.get $c0)))
        (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (v128.load offset=0 (local.get $w)) (f32x4.mul (local.get $c0) (local.get $c0)))))
        (local.set $c1 (f32x4.sub (v128.load offset=16 (local.get $q)) (local.get $c1)))
        (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (v128.load offset=16 (local.get $w)) (f32x4.mul (local.get $c1) (local.get $c1)))))
        (local.set $c2 (f32x4.sub (v128.load offset=32 (local.get $q)) (local.get $c2)))
        (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (v128.load offset=32 (local.get $w)) (f32x4.mul (local.get $c2) (local.get $c2)))))
        (local.set $c3 (f32x4.sub (v128.load offset=48 (local.get $q)) (local.get $c3)))
        (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (v128.load offset=48 (local.get $w)) (f32x4.mul (local.get $c3) (local.get $c3)))))
        (local.set $q (i32.add (local.get $q) (i32.const 64)))
        (local.set $w (i32.add (local.get $w) (i32.const 64)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br_if $l16 (i32.lt_u (local.get $c) (local.get $end)))))
    (local.set $acc0 (f32x4.add (f32x4.add (local.get $acc0) (local.get $acc1)) (f32x4.add (local.get $acc2) (local.get $acc3))))
    (local.set $s (f32.add (local.get $s) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0))))))
    (local.set $end (i32.add (local.get $c) (i32.and (local.get $n) (i32.const 15))))
    (block $done1
      (br_if $done1 (i32.ge_u (local.get $c) (local.get $end)))
      (loop $l1
        (local.set $x (f32.sub (f32.load (local.get $q)) (f32.convert_i32_u (i32.load8_u (local.get $c)))))
        (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $w)) (f32.mul (local.get $x) (local.get $x)))))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (local.set $w (i32.add (local.get $w) (i32.const 4)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br_if $l1 (i32.lt_u (local.get $c) (local.get $end)))))
    (local.get $s))

  (func $sq8_l2_codes (export "sq8_l2_codes") (param $w i32) (param $b i32) (param $c i32) (param $n i32) (result f32)
    (local $end i32) (local $v v128) (local $h v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $s f32) (local $x f32) (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $end (i32.add (local.get $c) (i32.and (local.get $n) (i32.const -16))))
    (block $done16
      (br_if $done16 (i32.ge_u (local.get $c) (local.get $end)))
      (loop $l16
        (local.set $v (v128.load (local.get $b)))
        (local.set $h (i16x8.extend_low_i8x16_u (local.get $v)))
        (local.set $b0 (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $h))))
        (local.set $b1 (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $h))))
        (local.set $h (i16x8.extend_high_i8x16_u (local.get $v)))
        (local.set $b2 (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $h))))
        (local.set $b3 (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $h))))
        (local.set $v (v128.load (local.get $c)))
        (local.set $h (i16x8.extend_low_i8x16_u (local.get $v)))
        (local.set $c0 (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $h))))
        (local.set $c1 (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $h))))
        (local.set $h (i16x8.extend_high_i8x16_u (local.get $v)))
        (local.set $c2 (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $h))))
        (local.set $c3 (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $h))))
        (local.set $c0 (f32x4.sub (local.get $b0) (local.get $c0)))
        (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (v128.load offset=0 (local.get $w)) (f32x4.mul (local.get $c0) (local.get $c0)))))
        (local.set $c1 (f32x4.sub (local.get $b1) (local.get $c1)))
        (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (v128.load offset=16 (local.get $w)) (f32x4.mul (local.get $c1) (local.get $c1)))))
        (local.set $c2 (f32x4.sub (local.get $b2) (local.get $c2)))
        (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (v128.load offset=32 (local.get $w)) (f32x4.mul (local.get $c2) (local.get $c2)))))
        (local.set $c3 (f32x4.sub (local.get $b3) (local.get $c3)))
        (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (v128.load offset=48 (local.get $w)) (f32x4.mul (local.get $c3) (local.get $c3)))))
        (local.set $w (i32.add (local.get $w) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br_if $l16 (i32.lt_u (local.get $c) (local.get $end)))))
    (local.set $acc0 (f32x4.add (f32x4.add (local.get $acc0) (local.get $acc1)) (f32x4.add (local.get $acc2) (local.get $acc3))))
    (local.set $s (f32.add (local.get $s) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0))))))
    (local.set $end (i32.add (local.get $c) (i32.and (local.get $n) (i32.const 15))))
    (block $done1
      (br_if $done1 (i32.ge_u (local.get $c) (local.get $end)))
      (loop $l1
        (local.set $x (f32.sub (f32.convert_i32_u (i32.load8_u (local.get $b))) (f32.convert_i32_u (i32.load8_u (local.get $c)))))
        (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $w)) (f32.mul (local.get $x) (local.get $x)))))
        (local.set $w (i32.add (local.get $w) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br_if $l1 (i32.lt_u (local.get $c) (local.get $end)))))
    (local.get $s))

  (func $sq8_dot_codes (export "sq8_dot_codes") (param $w1 i32) (param $w2 i32) (param $b i32) (param $c i32) (param $n i32) (result f32)
    (local $end i32) (local $v v128) (local $h v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $s f32) (local $x f32) (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $end (i32.add (local.get $c) (i32.and (local.get $n) (i32.const -16))))
    (block $done16
      (br_if $done16 (i32.ge_u (local.get $c) (local.get $end)))
      (loop $l16
        (local.set $v (v128.load (local.get $b)))
        (local.set $h (i16x8.extend_low_i8x16_u (local.get $v)))
        (local.set $b0 (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $h))))
        (local.set $b1 (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $h))))
        (local.set $h (i16x8.extend_high_i8x16_u (local.get $v)))
        (local.set $b2 (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $h))))
        (local.set $b3 (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $h))))
        (local.set $v (v128.load (local.get $c)))
        (local.set $h (i16x8.extend_low_i8x16_u (local.get $v)))
        (local.set $c0 (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $h))))
        (local.set $c1 (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $h))))
        (local.set $h (i16x8.extend_high_i8x16_u (local.get $v)))
        (local.set $c2 (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $h))))
        (local.set $c3 (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $h))))
        (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.add (f32x4.mul (v128.load offset=0 (local.get $w1)) (f32x4.add (local.get $b0) (local.get $c0))) (f32x4.mul (v128.load offset=0 (local.get $w2)) (f32x4.mul (local.get $b0) (local.get $c0))))))
        (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.add (f32x4.mul (v128.load offset=16 (local.get $w1)) (f32x4.add (local.get $b1) (local.get $c1))) (f32x4.mul (v128.load offset=16 (local.get $w2)) (f32x4.mul (local.get $b1) (local.get $c1))))))
        (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.add (f32x4.mul (v128.load offset=32 (local.get $w1)) (f32x4.add (local.get $b2) (local.get $c2))) (f32x4.mul (v128.load offset=32 (local.get $w2)) (f32x4.mul (local.get $b2) (local.get $c2))))))
        (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.add (f32x4.mul (v128.load offset=48 (local.get $w1)) (f32x4.add (local.get $b3) (local.get $c3))) (f32x4.mul (v128.load offset=48 (local.get $w2)) (f32x4.mul (local.get $b3) (local.get $c3))))))
        (local.set $w1 (i32.add (local.get $w1) (i32.const 64)))
        (local.set $w2 (i32.add (local.get $w2) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br_if $l16 (i32.lt_u (local.get $c) (local.get $end)))))
    (local.set $acc0 (f32x4.add (f32x4.add (local.get $acc0) (local.get $acc1)) (f32x4.add (local.get $acc2) (local.get $acc3))))
    (local.set $s (f32.add (local.get $s) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0))))))
    (local.set $end (i32.add (local.get $c) (i32.and (local.get $n) (i32.const 15))))
    (block $done1
      (br_if $done1 (i32.ge_u (local.get $c) (local.get $end)))
      (loop $l1
        (local.set $x (f32.convert_i32_u (i32.load8_u (local.get $b))))
        (local.set $s (f32.add (local.get $s) (f32.add
          (f32.mul (f32.load (local.get $w1)) (f32.add (local.get $x) (f32.convert_i32_u (i32.load8_u (local.get $c)))))
          (f32.mul (f32.load (local.get $w2)) (f32.mul (local.get $x) (f32.convert_i32_u (i32.load8_u (local.get $c))))))))
        (local.set $w1 (i32.add (local.get $w1) (i32.const 4)))
        (local.set $w2 (i32.add (local.get $w2) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br_if $l1 (i32.lt_u (local.get $c) (local.get $end)))))
    (local.get $s))

  ;; Block scans over SQ8 codes, one call per block of rows.
  (func (export "sq8_dot_rows") (param $q i32) (param $codes i32) (param $count i32) (param $dim i32) (param $out i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (loop $l
        (f32.store (local.get $out) (call $sq8_dot (local.get $q) (local.get $codes) (local.get $dim)))
        (local.set $codes (i32.add (local.get $codes) (local.get $dim)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $l (i32.lt_u (local.get $out) (local.get $end))))))

  (func (export "sq8_l2_rows") (param $q i32) (param $w i32) (param $codes i32) (param $count i32) (param $dim i32) (param $out i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (loop $l
        (f32.store (local.get $out) (call $sq8_l2 (local.get $q) (local.get $w) (local.get $codes) (local.get $dim)))
        (local.set $codes (i32.add (local.get $codes) (local.get $dim)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $l (i32.lt_u (local.get $out) (local.get $end))))))
)
