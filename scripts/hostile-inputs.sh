#!/usr/bin/env bash
# Hostile-input sweep: makes over a hundred damaged, huge, odd or malicious inputs itself (images,
# model files, captions files, flag values, output paths; nothing is downloaded) and runs one
# scripts/glimpse command on each, one at a time and niced, so that "bounded work and memory for every
# input" can be checked. For each case it records the exit code, the first line of standard error
# (trimmed to 120 characters), the wall time and the peak resident memory of the JVM (GNU time's %M;
# scripts/glimpse execs java, so that is the JVM's), and flags as findings: exit 1, a stack trace or
# OutOfMemoryError on standard error, a timeout (hang) or a signal, and peak memory over 3 GB. Every
# case runs under `timeout` (60 s unless the case says otherwise), so a FIFO or a runaway run cannot
# hang the sweep. It also times `tokenize` on one 10 MB caption and compares the peak memory of
# captioning a 20000x1 PNG with that of a sample image.
#
# The table is printed at the end and written to WORK_DIR/hostile.md; each case's standard output,
# standard error and time file stay in WORK_DIR/logs/.
#
# Usage: scripts/hostile-inputs.sh [WORK_DIR]
#   WORK_DIR  where the inputs, logs and hostile.md go (default: a new folder under /tmp). Its in/,
#             out/ and logs/ subfolders are replaced.
# Needs: ImageMagick convert, python3 with numpy, GNU time (/usr/bin/time), timeout, mkfifo, iconv.
# It never builds the jar: when glimpse-core/target/glimpse.jar is missing or older than the sources
# it stops before the first case (HOSTILE_ALLOW_BUILD=1 lets scripts/glimpse build it), and a case
# is skipped if the jar goes stale part way, so that no build lands inside a measurement.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${1:-$(mktemp -d /tmp/glimpse-hostile.XXXXXX)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
in=$work/in
out=$work/out
logs=$work/logs
rm -rf "$in" "$out" "$logs"
mkdir -p "$in" "$out" "$logs"

glimpse=$root/scripts/glimpse
model=$root/pretrained/glimpse-shapes.zip
sample=$root/datasets/samples/shapes_1.png
jar=$root/glimpse-core/target/glimpse.jar
memory_limit_mb=3072

for tool in convert python3 /usr/bin/time timeout mkfifo iconv; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "hostile-inputs: $tool is missing (apt-get install -y imagemagick time coreutils libc-bin)" >&2
    exit 1
  fi
done
python3 -c 'import numpy' 2>/dev/null || { echo "hostile-inputs: python3 needs numpy" >&2; exit 1; }

jar_stale() {
  [ ! -f "$jar" ] || [ -n "$(find "$root/glimpse-core/src/main" "$root/glimpse-core/pom.xml" "$root/pom.xml" \
    -newer "$jar" -print -quit 2>/dev/null)" ]
}
if [ "${HOSTILE_ALLOW_BUILD:-0}" != 1 ] && jar_stale; then
  echo "hostile-inputs: $jar is missing or older than the sources; build it first (or HOSTILE_ALLOW_BUILD=1)" >&2
  exit 1
fi

# ---------------------------------------------------------------------------------------------------
# The inputs
# ---------------------------------------------------------------------------------------------------
echo "hostile-inputs: making the inputs in $in" >&2

# Images ImageMagick makes well: a JPEG of the sample, a 1x1 image, a big (36 Mpx) gradient JPEG.
# (Debian's ImageMagick policy refuses sides over 16000 px, so the thin images are made below.)
convert "$sample" -quality 90 "$in/sample.jpg"
convert -size 1x1 xc:red "$in/one_pixel.png"
convert -size 6000x6000 gradient:red-blue -quality 90 "$in/big_6000x6000.jpg"

# The rest is made byte by byte.
python3 - "$in" "$sample" "$model" <<'PY'
import io, os, struct, sys, zipfile, zlib
import numpy as np

d, sample, model = sys.argv[1], sys.argv[2], sys.argv[3]
def w(name, data, mode='wb'):
    with open(os.path.join(d, name), mode) as f:
        f.write(data)

png_bytes = open(sample, 'rb').read()
jpg_bytes = open(os.path.join(d, 'sample.jpg'), 'rb').read()

# --- PNG ------------------------------------------------------------------------------------------
SIG = b'\x89PNG\r\n\x1a\n'
def chunk(t, data):
    return struct.pack('>I', len(data)) + t + data + struct.pack('>I', zlib.crc32(t + data) & 0xffffffff)
def ihdr(wd, ht, depth=8, ctype=2):
    return chunk(b'IHDR', struct.pack('>IIBBBBB', wd, ht, depth, ctype, 0, 0, 0))
def zeros_stream(row_bytes, rows, level=9):
    c = zlib.compressobj(level)
    block_rows = max(1, (1 << 22) // row_bytes)
    block = b'\x00' * (row_bytes * block_rows)
    parts, left = [], rows
    while left > 0:
        n = min(block_rows, left)
        parts.append(c.compress(block if n == block_rows else b'\x00' * (row_bytes * n)))
        left -= n
    parts.append(c.flush())
    return b''.join(parts)

def gradient_png(wd, ht):
    n = wd * ht
    rgb = np.zeros((n, 3), dtype=np.uint8)
    rgb[:, 0] = np.linspace(255, 0, n).astype(np.uint8)
    rgb[:, 2] = np.linspace(0, 255, n).astype(np.uint8)
    rows = rgb.reshape(ht, wd * 3)
    raw = b''.join(b'\x00' + r.tobytes() for r in rows)
    return SIG + ihdr(wd, ht) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
w('wide_20000x1.png', gradient_png(20000, 1))
w('tall_1x20000.png', gradient_png(1, 20000))
w('truncated.png', png_bytes[:len(png_bytes) // 2])
w('header_only.png', SIG + ihdr(128, 128) + chunk(b'IEND', b''))
w('zero_byte.png', b'')
w('text_named.png', b'this is not an image, just some text that claims to be a PNG\n' * 20)
w('huge_header_100000x100000.png',
  SIG + ihdr(100000, 100000) + chunk(b'IDAT', zlib.compress(b'\x00' * 64)) + chunk(b'IEND', b''))
# decompression bombs: 20000x20000 grey (400 MB raw, over the 40 Mpx limit) and 6000x6000 RGBA
# 16-bit (36 Mpx, under the limit, 288 MB raw), both a few hundred KB
w('bomb_20000x20000_gray.png',
  SIG + ihdr(20000, 20000, 8, 0) + chunk(b'IDAT', zeros_stream(1 + 20000, 20000)) + chunk(b'IEND', b''))
w('bomb_6000x6000_rgba16.png',
  SIG + ihdr(6000, 6000, 16, 6) + chunk(b'IDAT', zeros_stream(1 + 6000 * 8, 6000)) + chunk(b'IEND', b''))
# a valid PNG with a zTXt chunk inflating to 256 MB, and one with 100 000 tEXt chunks
pos = 8 + 25  # after the signature and IHDR
ztxt = chunk(b'zTXt', b'Comment\x00\x00' + zeros_stream(1 << 22, 64))
w('ztxt_bomb.png', png_bytes[:pos] + ztxt + png_bytes[pos:])
w('many_chunks.png', png_bytes[:pos] + chunk(b'tEXt', b'k\x00v') * 100000 + png_bytes[pos:])
bad = bytearray(png_bytes); bad[29] ^= 0xff  # IHDR's CRC
w('bad_crc.png', bytes(bad))

# --- JPEG -----------------------------------------------------------------------------------------
w('truncated.jpg', jpg_bytes[:len(jpg_bytes) // 2])
def patch_sof(data, ht, wd):
    i = 2
    while i < len(data):
        assert data[i] == 0xff
        marker = data[i + 1]
        seg = struct.unpack('>H', data[i + 2:i + 4])[0]
        if 0xc0 <= marker <= 0xcf and marker not in (0xc4, 0xc8, 0xcc):
            b = bytearray(data)
            b[i + 5:i + 9] = struct.pack('>HH', ht, wd)
            return bytes(b)
        i += 2 + seg
    raise SystemExit('no SOF')
w('jpeg_sof_65500x65500.jpg', patch_sof(jpg_bytes, 65500, 65500))
w('jpeg_sof_height0.jpg', patch_sof(jpg_bytes, 0, 128))

# --- GIF: a 1x1 logical screen holding one 40000x40000 frame (the frame is what gets decoded) ----
gif = (b'GIF89a' + struct.pack('<HHBBB', 1, 1, 0x80, 0, 0) + b'\x00\x00\x00\xff\xff\xff'
       + b',' + struct.pack('<HHHHB', 0, 0, 40000, 40000, 0) + b'\x02' + b'\x01\x2c' + b'\x00' + b';')
w('gif_screen1x1_frame40000x40000.gif', gif)
# ... and the same frame really filled: LZW runs of one colour (a clear code each time the table fills)
# decode to 1.6 Gpx from about 1 MB
def gif_size_for(i):
    n, s = 6 + max(0, i - 1), 3  # the decoder's next code and code size when it reads code i
    while s < 12 and n >= (1 << s):
        s += 1
    return s
def lzw_one_colour(total):
    out, acc, nbits = bytearray(), 0, 0
    def put(code, size):
        nonlocal acc, nbits
        acc |= code << nbits
        nbits += size
        while nbits >= 8:
            out.append(acc & 0xff)
            acc >>= 8
            nbits -= 8
    i, remaining = 0, total
    put(4, 3)
    while remaining:
        run = min(remaining, i + 1 if i else 1)  # the longest run in the table so far
        put(0 if run == 1 else run + 4, gif_size_for(i))
        remaining -= run
        i += 1
        if i == 4090:  # the table is full: clear it
            put(4, gif_size_for(i))
            i = 0
    put(5, gif_size_for(i))
    if nbits:
        out.append(acc & 0xff)
    return bytes(out)
lzw = lzw_one_colour(40000 * 40000)
blocks = b''.join(bytes([len(lzw[k:k + 255])]) + lzw[k:k + 255] for k in range(0, len(lzw), 255))
w('gif_screen1x1_frame40000x40000_filled.gif',
  b'GIF89a' + struct.pack('<HHBBB', 1, 1, 0x80, 0, 0) + b'\x00\x00\x00\xff\xff\xff'
  + b',' + struct.pack('<HHHHB', 0, 0, 40000, 40000, 0) + b'\x02' + blocks + b'\x00' + b';')

# --- BMP: a top-down BMP whose height is -2^31, and one declaring 100000x100000 -----------------
def bmp(wd, ht):
    pixels = b'\x00' * 16
    info = struct.pack('<IiiHHIIiiII', 40, wd, ht, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return b'BM' + struct.pack('<IHHI', 14 + 40 + len(pixels), 0, 0, 54) + info + pixels
w('bmp_height_int_min.bmp', bmp(1, -2**31))
w('bmp_100000x100000.bmp', bmp(100000, 100000))

# --- WebP VP8X claiming a 16777216x16777216 canvas --------------------------------------------------
vp8x = b'VP8X' + struct.pack('<I', 10) + b'\x00\x00\x00\x00' + (2**24 - 1).to_bytes(3, 'little') * 2
w('webp_vp8x_huge.webp', b'RIFF' + struct.pack('<I', 4 + len(vp8x)) + b'WEBP' + vp8x)

# --- model files ----------------------------------------------------------------------------------
src = zipfile.ZipFile(model)
entries = [(i.filename, src.read(i.filename)) for i in src.infolist()]
def rezip(name, change=None, drop=(), extra=()):
    with zipfile.ZipFile(os.path.join(d, name), 'w', zipfile.ZIP_DEFLATED) as z:
        for fn, data in entries:
            if fn in drop:
                continue
            if change and fn in change:
                data = change[fn](data)
            z.writestr(fn, data)
        for fn, data in extra:
            z.writestr(fn, data)
def npy_header_len(data):
    major = data[6]
    if major == 1:
        return 10 + struct.unpack('<H', data[8:10])[0]
    return 12 + struct.unpack('<I', data[8:12])[0]
def nan_weights(data):
    h = npy_header_len(data)
    return data[:h] + np.full((len(data) - h) // 4, np.nan, dtype='<f4').tobytes()
def huge_shape(data):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }"
    header = header + ' ' * (118 - len(header)) + '\n'
    return b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode() + data[npy_header_len(data):]
def header_len_4g(data):
    return b'\x93NUMPY\x02\x00' + struct.pack('<I', 0xfffffff0) + b"{'descr': '<f4'"
def garbage_header(data):
    return b'\x93NUMPY\x01\x00' + struct.pack('<H', 118) + b'\x00\xff' * 59 + data[npy_header_len(data):]
W = 'weights/dec.lstm.W.npy'
w('model_not_zip.zip', b'PK\x03\x04 this is not really a zip file\n' * 10)
w('model_zero_byte.zip', b'')
w('model_truncated.zip', open(model, 'rb').read()[: os.path.getsize(model) // 2])
rezip('model_bad_npy_header.zip', {W: garbage_header})
rezip('model_huge_npy_shape.zip', {W: huge_shape})
rezip('model_npy_header_len_4g.zip', {W: header_len_4g})
rezip('model_nan_weights.zip', {W: nan_weights, 'weights/dec.out.Lh.npy': nan_weights})
rezip('model_missing_weight.zip', drop=(W,))
# a weights entry with 512 MB of zeros after its right header and data (a zip bomb of ~0.5 MB)
def padded(data):
    return data + b'\x00' * (512 << 20)
rezip('model_weight_entry_512mb.zip', {W: padded})
# the manifest followed by 512 MB of spaces
rezip('model_manifest_512mb.zip', {'glimpse.json': lambda data: data + b' ' * (512 << 20)})
import json
def huge_dims(data):
    m = json.loads(data)
    m['model']['hiddenDim'] = 2000000000
    m['model']['maxLength'] = 2000000000
    return json.dumps(m).encode()
rezip('model_manifest_huge_dims.zip', {'glimpse.json': huge_dims})

# --- captions files -------------------------------------------------------------------------------
def coco(captions, image_id=1):
    return json.dumps({'images': [{'id': 1, 'file_name': 'a.png', 'width': 32, 'height': 32}],
                       'annotations': [{'id': i + 1, 'image_id': image_id, 'caption': c}
                                       for i, c in enumerate(captions)]}).encode()
w('captions_malformed.json', b'{"images": [{"id": 1, "file_name": "a.png"}], "annotations": [{"id": 1, "image_')
w('captions_empty_object.json', b'{}')
w('captions_zero_byte.json', b'')
w('captions_no_annotations.json', json.dumps({'images': [{'id': 1, 'file_name': 'a.png'}]}).encode())
w('captions_float_image_id.json', coco(['a red circle on grass'] * 5, image_id=1.5))
w('captions_huge_image_id.json', coco(['a red circle on grass'] * 5).replace(b'"image_id": 1', b'"image_id": 1' + b'0' * 400))
w('captions_1mb_single_line.json', coco(['x' * (1 << 20)]))
w('captions_100k_words.json', coco([' '.join('w%d' % (i % 5000) for i in range(100000))]))
w('captions_10mb_caption.json', coco([('a dog on the grass ' * ((10 << 20) // 19 + 1))[:10 << 20]]))
w('captions_deep_nesting.json', b'[' * 200000 + b']' * 200000)
w('Flickr8k.token.txt', bytes(np.random.default_rng(1).integers(0, 256, 200000, dtype=np.uint8)))
# results files for evaluate
w('results_malformed.json', b'[{"image_id": 1, "caption": "a red')
w('results_float_id.json', json.dumps([{'image_id': 1.5, 'caption': 'a red circle'}]).encode())
w('results_1mb_caption.json', json.dumps([{'image_id': 1, 'caption': 'red ' * (1 << 18)}]).encode())
w('results_object.json', b'{"image_id": 1, "caption": "a red circle"}')
w('results_ok.json', json.dumps([{'image_id': 1, 'caption': 'a red circle on grass'}]).encode())
w('annotations_ok.json', coco(['a red circle on grass', 'a small red circle', 'red circle'] * 2))

# --- text for tokenize ----------------------------------------------------------------------------
w('tokenize_invalid_utf8.txt', b'a dog \xff\xfe\xc3\x28 on \xed\xa0\x80 grass\n' * 100)
w('tokenize_nul_bytes.txt', b'a\x00dog\x00\x00on grass\n' * 100)
words = ('a dog on the grass ' * ((10 << 20) // 19 + 1))[:10 << 20].rstrip() + '\n'
w('tokenize_10mb_line.txt', words.encode())
PY

# Odd files and names.
mkdir -p "$in/dir.png" "$in/empty_dir" "$in/fifo_dir" "$in/nonutf8_dir"
mkfifo "$in/fifo_dir/fifo.png"
mkfifo "$in/model_fifo.zip"
cp "$sample" "$in/"$'name_\xff\xfe_latin1.png'
cp "$sample" "$in/nonutf8_dir/"$'bad_\xff.png'
cp "$sample" "$in/nonutf8_dir/good.png"
cp "$sample" "$in/日本語 ☃ name.png"
long255=$(printf 'L%.0s' $(seq 1 251)).png
cp "$sample" "$in/$long255"
long300=$(printf 'L%.0s' $(seq 1 296)).png
longpath=$in$(printf '/dddddddddd%.0s' $(seq 1 400))/x.png
printf 'a file\n' >"$in/plain_file"
printf 'a captions file\n' >"$in/readonly_parent_file"

echo "hostile-inputs: making a small synthetic dataset for train and evaluate" >&2
nice -n 10 "$glimpse" synth --out "$in/ds" --count 12 --size 32 --seed 1 >/dev/null 2>"$logs/synth-setup.err" \
  || { echo "hostile-inputs: synth failed:" >&2; cat "$logs/synth-setup.err" >&2; exit 1; }
ds_captions=$in/ds/dataset.json
ds_images=$in/ds/images

# ---------------------------------------------------------------------------------------------------
# Running the cases
# ---------------------------------------------------------------------------------------------------
results=$work/results.tsv
: >"$results"
case_stdin=/dev/null
case_timeout=60

# run_case NAME EXPECTED COMMAND... : runs COMMAND once (stdin from $case_stdin, killed after
# $case_timeout s) and appends NAME, EXPECTED, exit code, wall s, peak KB and the command to $results.
run_case() {
  local name=$1 expected=$2
  shift 2
  local shown
  shown=$(printf '%q ' "$@")
  shown=${shown//"$root/scripts/glimpse"/glimpse}
  shown=${shown//"$root/"/}
  shown=${shown//"$work/"/WORK/}
  shown=${shown% }
  if [ "${HOSTILE_ALLOW_BUILD:-0}" != 1 ] && jar_stale; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$expected" skipped - - "$shown" >>"$results"
    echo "hostile-inputs: $name skipped: the jar went stale" >&2
    return
  fi
  printf 'hostile-inputs: %-36s ' "$name" >&2
  local rc
  set +e
  nice -n 10 /usr/bin/time -f '%e %M' -o "$logs/$name.time" \
    timeout -k 10 "$case_timeout" "$@" <"$case_stdin" >"$logs/$name.out" 2>"$logs/$name.err"
  rc=$?
  set -e
  local wall peak
  read -r wall peak < <(tail -n 1 "$logs/$name.time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$expected" "$rc" "$wall" "$peak" "$shown" >>"$results"
  echo "exit $rc, ${wall}s, $((peak / 1024)) MB" >&2
}

g=$glimpse
cap=("$g" caption --model "$model")
exp=("$g" explain --model "$model")
trn=("$g" train --captions "$ds_captions" --images "$ds_images" --max-steps 1 --epochs 1 --val-images 1)

# images, captioned
run_case baseline_sample_png          0   "${cap[@]}" "$sample"
run_case png_truncated                2   "${cap[@]}" "$in/truncated.png"
run_case png_header_only              2   "${cap[@]}" "$in/header_only.png"
run_case png_bad_crc                  0/2 "${cap[@]}" "$in/bad_crc.png"
run_case jpeg_truncated               0/2 "${cap[@]}" "$in/truncated.jpg"
run_case zero_byte_png                2   "${cap[@]}" "$in/zero_byte.png"
run_case text_named_png               2   "${cap[@]}" "$in/text_named.png"
run_case missing_file                 2   "${cap[@]}" "$in/no_such_file.png"
run_case directory_named_png_empty    2   "${cap[@]}" "$in/dir.png"
run_case empty_directory              2   "${cap[@]}" "$in/empty_dir"
run_case fifo_as_image                2   "${cap[@]}" "$in/fifo_dir/fifo.png"
run_case dir_holding_fifo             2   "${cap[@]}" "$in/fifo_dir"
run_case wide_20000x1                 0/2 "${cap[@]}" "$in/wide_20000x1.png"
run_case tall_1x20000                 0/2 "${cap[@]}" "$in/tall_1x20000.png"
run_case one_pixel                    0   "${cap[@]}" "$in/one_pixel.png"
run_case huge_header_100000x100000    2   "${cap[@]}" "$in/huge_header_100000x100000.png"
run_case bomb_png_20000x20000_gray    2   "${cap[@]}" "$in/bomb_20000x20000_gray.png"
run_case bomb_png_6000x6000_rgba16    0   "${cap[@]}" "$in/bomb_6000x6000_rgba16.png"
run_case big_jpeg_6000x6000           0   "${cap[@]}" "$in/big_6000x6000.jpg"
run_case png_ztxt_bomb_256mb          0   "${cap[@]}" "$in/ztxt_bomb.png"
run_case png_100k_text_chunks         0   "${cap[@]}" "$in/many_chunks.png"
run_case jpeg_sof_65500x65500         2   "${cap[@]}" "$in/jpeg_sof_65500x65500.jpg"
run_case jpeg_sof_height_0            2   "${cap[@]}" "$in/jpeg_sof_height0.jpg"
run_case gif_1x1_screen_40000_frame   0/2 "${cap[@]}" "$in/gif_screen1x1_frame40000x40000.gif"
run_case gif_1x1_screen_40000_filled  0/2 "${cap[@]}" "$in/gif_screen1x1_frame40000x40000_filled.gif"
run_case bmp_height_int_min           2   "${cap[@]}" "$in/bmp_height_int_min.bmp"
run_case bmp_100000x100000            2   "${cap[@]}" "$in/bmp_100000x100000.bmp"
run_case webp_vp8x_huge_canvas        2   "${cap[@]}" "$in/webp_vp8x_huge.webp"
run_case nonutf8_file_name            0/2 "${cap[@]}" "$in/"$'name_\xff\xfe_latin1.png'
run_case dir_with_nonutf8_name        0/2 "${cap[@]}" "$in/nonutf8_dir"
run_case utf8_file_name               0   "${cap[@]}" "$in/日本語 ☃ name.png"
run_case file_name_255_bytes          0   "${cap[@]}" "$in/$long255"
run_case file_name_300_bytes          2   "${cap[@]}" "$in/$long300"
run_case path_4400_chars              2   "${cap[@]}" "$longpath"

# caption flags and outputs
run_case caption_beam_0               2   "${cap[@]}" --beam 0 "$sample"
run_case caption_beam_100000          2   "${cap[@]}" --beam 100000 "$sample"
run_case caption_beam_overflow        2   "${cap[@]}" --beam 99999999999999999999 "$sample"
run_case caption_max_length_-1        2   "${cap[@]}" --max-length -1 "$sample"
run_case caption_max_length_1e6       2   "${cap[@]}" --max-length 1000000 "$sample"
run_case caption_length_penalty_nan   2   "${cap[@]}" --length-penalty NaN "$sample"
run_case caption_no_images            2   "${cap[@]}"
run_case caption_model_no_value       2   "$g" caption --model
run_case caption_json_into_proc       2   "${cap[@]}" --json /proc/x.json "$sample"
run_case caption_jsonl_into_proc      2   "${cap[@]}" --jsonl /proc/x.jsonl "$sample"
run_case caption_json_parent_is_file  2   "${cap[@]}" --json "$in/plain_file/x.json" "$sample"

# model files
run_case model_missing                2   "$g" caption --model "$in/no_such_model.zip" "$sample"
run_case model_not_zip                2   "$g" caption --model "$in/model_not_zip.zip" "$sample"
run_case model_zero_byte              2   "$g" caption --model "$in/model_zero_byte.zip" "$sample"
run_case model_truncated_zip          2   "$g" caption --model "$in/model_truncated.zip" "$sample"
run_case model_is_directory           2   "$g" caption --model "$in/empty_dir" "$sample"
run_case model_is_fifo                2   "$g" caption --model "$in/model_fifo.zip" "$sample"
run_case model_bad_npy_header         2   "$g" caption --model "$in/model_bad_npy_header.zip" "$sample"
run_case model_huge_npy_shape         2   "$g" caption --model "$in/model_huge_npy_shape.zip" "$sample"
run_case model_npy_header_len_4g      2   "$g" caption --model "$in/model_npy_header_len_4g.zip" "$sample"
run_case model_missing_weight         2   "$g" caption --model "$in/model_missing_weight.zip" "$sample"
run_case model_nan_weights            0/2 "$g" caption --model "$in/model_nan_weights.zip" "$sample"
run_case model_weight_entry_512mb     2   "$g" caption --model "$in/model_weight_entry_512mb.zip" "$sample"
run_case model_manifest_512mb         0/2 "$g" caption --model "$in/model_manifest_512mb.zip" "$sample"
run_case model_manifest_huge_dims     2   "$g" caption --model "$in/model_manifest_huge_dims.zip" "$sample"
run_case info_not_zip                 2   "$g" info "$in/model_not_zip.zip"
run_case info_huge_npy_shape          2   "$g" info "$in/model_huge_npy_shape.zip"
run_case info_npy_header_len_4g       2   "$g" info "$in/model_npy_header_len_4g.zip"
run_case info_nan_weights             0   "$g" info "$in/model_nan_weights.zip"

# explain
run_case explain_wide_20000x1         0/2 "${exp[@]}" --out "$out/explain_wide" "$in/wide_20000x1.png"
case_timeout=300
run_case explain_big_jpeg_6000x6000   0   "${exp[@]}" --out "$out/explain_big" "$in/big_6000x6000.jpg"
case_timeout=60
run_case explain_smooth_1e9           2   "${exp[@]}" --out "$out/explain_smooth" --smooth 1e9 "$sample"
run_case explain_smooth_nan           2   "${exp[@]}" --out "$out/explain_smooth_nan" --smooth NaN "$sample"
run_case explain_opacity_5            2   "${exp[@]}" --out "$out/explain_opacity" --opacity 5 "$sample"
run_case explain_deletion_percent_0   2   "${exp[@]}" --out "$out/explain_del" --deletion-percent 0 "$sample"
run_case explain_mask_int_max         0/2 "${exp[@]}" --out "$out/explain_mask" --mask 2147483647,2147483647,2147483647,2147483647 "$sample"
run_case explain_mask_garbage         2   "${exp[@]}" --out "$out/explain_mask2" --mask 1,2,x "$sample"
run_case explain_directory_as_image   2   "${exp[@]}" --out "$out/explain_dir" "$in/empty_dir"
run_case explain_fifo_as_image        2   "${exp[@]}" --out "$out/explain_fifo" "$in/fifo_dir/fifo.png"
run_case explain_out_parent_is_file   2   "${exp[@]}" --out "$in/plain_file/sub" "$sample"
run_case explain_out_into_proc        2   "${exp[@]}" --out /proc/x "$sample"

# captions files, through vocab
for f in malformed empty_object zero_byte no_annotations float_image_id huge_image_id 1mb_single_line \
         100k_words 10mb_caption deep_nesting; do
  expected=2
  case $f in 1mb_single_line|100k_words|10mb_caption|no_annotations) expected=0/2 ;; esac
  run_case "vocab_captions_$f" "$expected" "$g" vocab --captions "$in/captions_$f.json" --json "$out/vocab_$f.json"
done
run_case vocab_flickr_binary          2   "$g" vocab --captions "$in/Flickr8k.token.txt" --json "$out/vocab_flickr.json"
run_case vocab_captions_directory     2   "$g" vocab --captions "$in/empty_dir" --json "$out/vocab_dir.json"
run_case vocab_captions_fifo          2   "$g" vocab --captions "$in/fifo_dir/fifo.png" --json "$out/vocab_fifo.json"
run_case vocab_min_freq_-1            2   "$g" vocab --captions "$ds_captions" --min-freq -1 --json "$out/vocab_mf.json"
run_case vocab_truncate_0             2   "$g" vocab --captions "$ds_captions" --truncate 0 --json "$out/vocab_tr.json"
run_case vocab_json_into_proc         2   "$g" vocab --captions "$ds_captions" --json /proc/x.json
run_case vocab_json_parent_is_file    2   "$g" vocab --captions "$ds_captions" --json "$in/plain_file/v.json"

# train (the dataset is tiny and one step at most, so an accepted bad flag shows as exit 0)
case_timeout=120
run_case train_image_size_100000      2   "${trn[@]}" --model "$out/t1/model.zip" --image-size 100000
run_case train_hidden_dim_1e6         2   "${trn[@]}" --model "$out/t2/model.zip" --hidden-dim 1000000
run_case train_batch_size_0           2   "${trn[@]}" --model "$out/t3/model.zip" --batch-size 0
run_case train_channels_100000        2   "${trn[@]}" --model "$out/t4/model.zip" --channels 100000,100000
run_case train_lr_nan                 2   "${trn[@]}" --model "$out/t5/model.zip" --lr NaN
run_case train_truncate_1e6           2   "${trn[@]}" --model "$out/t6/model.zip" --truncate 1000000
run_case train_model_parent_is_file   2   "${trn[@]}" --model "$in/plain_file/model.zip"
run_case train_captions_float_id      2   "$g" train --captions "$in/captions_float_image_id.json" --images "$ds_images" \
  --model "$out/t7/model.zip" --max-steps 1 --epochs 1
run_case train_captions_malformed     2   "$g" train --captions "$in/captions_malformed.json" --images "$ds_images" \
  --model "$out/t8/model.zip" --max-steps 1 --epochs 1
case_timeout=60

# evaluate
run_case evaluate_no_args             2   "$g" evaluate
run_case evaluate_results_malformed   2   "$g" evaluate --results "$in/results_malformed.json" --annotations "$in/annotations_ok.json"
run_case evaluate_results_float_id    2   "$g" evaluate --results "$in/results_float_id.json" --annotations "$in/annotations_ok.json"
run_case evaluate_results_object      2   "$g" evaluate --results "$in/results_object.json" --annotations "$in/annotations_ok.json"
run_case evaluate_results_1mb_caption 0/2 "$g" evaluate --results "$in/results_1mb_caption.json" --annotations "$in/annotations_ok.json"
run_case evaluate_annotations_100k_words 0/2 "$g" evaluate --results "$in/results_ok.json" --annotations "$in/captions_100k_words.json"
run_case evaluate_annotations_deep_nesting 2 "$g" evaluate --results "$in/results_ok.json" --annotations "$in/captions_deep_nesting.json"
run_case evaluate_split_missing       2   "$g" evaluate --model "$model" --captions "$ds_captions" --images "$ds_images" --split nosuch
run_case evaluate_deletion_percent_1000 2 "$g" evaluate --model "$model" --captions "$ds_captions" --images "$ds_images" \
  --faithfulness --deletion-percent 1000
run_case evaluate_out_into_proc       2   "$g" evaluate --results "$in/results_ok.json" --annotations "$in/annotations_ok.json" --out /proc/x

# bench
run_case bench_grid_1000              2   "$g" bench --grid 1000
run_case bench_grid_0                 2   "$g" bench --grid 0
run_case bench_batch_size_1e6         2   "$g" bench --batch-size 1000000
run_case bench_vocab_2e9              2   "$g" bench --vocab 2000000000
run_case bench_json_into_proc         2   "$g" bench --grid 2 --feature-dim 8 --attention-dim 8 --embed-dim 8 \
  --hidden-dim 8 --vocab 16 --batch-size 2 --words 2 --beam 2 --repeats 1 --json /proc/x.json

# synth
run_case synth_count_1e9              2   "$g" synth --out "$out/synth1" --count 1000000000
run_case synth_size_100000            2   "$g" synth --out "$out/synth2" --size 100000 --count 3
run_case synth_out_into_proc          2   "$g" synth --out /proc/x --count 3
run_case synth_split_garbage          2   "$g" synth --out "$out/synth3" --count 3 --split 200/-50/-50

# serve (a bad flag accepted shows as a timeout: the server would run until stopped)
case_timeout=30
run_case serve_port_99999             2   "$g" serve --model "$model" --port 99999
run_case serve_max_batch_0            2   "$g" serve --model "$model" --port 0 --max-batch 0
run_case serve_max_body_mb_-1         2   "$g" serve --model "$model" --port 0 --max-body-mb -1
run_case serve_model_not_zip          2   "$g" serve --model "$in/model_not_zip.zip" --port 0
case_timeout=60

# tokenize
case_stdin=$in/tokenize_invalid_utf8.txt
run_case tokenize_invalid_utf8        0/2 "$g" tokenize
case_stdin=$in/tokenize_nul_bytes.txt
run_case tokenize_nul_bytes           0/2 "$g" tokenize
case_stdin=/dev/null

# the command line itself
run_case no_arguments                 2   "$g"
run_case unknown_verb                 2   "$g" frobnicate
run_case unknown_option               2   "$g" caption --frobnicate --model "$model" "$sample"
run_case unknown_global_option        2   "$g" --frobnicate caption

# measurements
case_timeout=600
case_stdin=$in/tokenize_10mb_line.txt
run_case measure_tokenize_10mb_line   0   "$g" tokenize
case_stdin=/dev/null
printf 'a dog on the grass\n' >"$in/tokenize_one_line.txt"
case_stdin=$in/tokenize_one_line.txt
run_case measure_tokenize_one_line    0   "$g" tokenize
case_stdin=/dev/null
case_timeout=60

# ---------------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------------
python3 - "$results" "$logs" "$work/hostile.md" "$memory_limit_mb" "$in/tokenize_10mb_line.txt" <<'PY'
import os, re, sys
results, logs, md_path, limit_mb, tok_input = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]

def cell(s):
    return s.replace('|', '\\|').replace('`', "'").strip()

rows, findings, notes = [], [], []
by_name = {}
for line in open(results, encoding='utf-8', errors='replace'):
    name, expected, rc, wall, peak, shown = line.rstrip('\n').split('\t', 5)
    err_path = os.path.join(logs, name + '.err')
    err = open(err_path, 'rb').read().decode('utf-8', errors='replace') if os.path.exists(err_path) else ''
    lines = [l for l in err.splitlines() if l.strip()]
    def trim(s):
        s = s.strip()
        return s[:117] + '...' if len(s) > 120 else s
    first = trim(lines[0]) if lines else ''
    # for the findings list: the first message line (progress bars come first in some commands)
    message = next((trim(l) for l in lines if l.startswith('glimpse:') or 'Exception' in l or 'Error' in l), first)
    peak_mb = '-' if peak == '-' else '%d' % round(int(peak) / 1024)
    by_name[name] = (rc, wall, peak)
    problems = []
    if rc == 'skipped':
        problems.append('skipped (jar stale)')
    else:
        rci = int(rc)
        if rci == 1:
            problems.append('exit 1')
        if rci in (124, 137):
            problems.append('timeout (killed after the case limit)')
        elif rci > 128:
            problems.append('signal %d' % (rci - 128))
        if re.search(r'^\s+at [\w$.]+\(', err, re.M) or 'Exception in thread' in err:
            problems.append('stack trace')
        if 'OutOfMemoryError' in err:
            problems.append('OutOfMemoryError')
        if peak != '-' and int(peak) / 1024 > limit_mb:
            problems.append('peak %s MB > %d MB' % (peak_mb, limit_mb))
    verdict = 'FINDING: ' + ', '.join(problems) if problems else 'ok'
    if problems:
        findings.append('%s: %s - %s' % (name, ', '.join(problems), message))
    elif rc not in expected.split('/'):
        verdict = 'note: expected %s' % expected
        notes.append('%s: exit %s, expected %s - %s' % (name, rc, expected, message))
    rows.append('| %s | `%s` | %s | %s | %d | %s | %s | %s | %s |' % (
        name, cell(shown[:160] + ('...' if len(shown) > 160 else '')), expected, rc, len(lines),
        cell(first), wall, peak_mb, verdict))

out = ['# Glimpse hostile inputs', '',
       'One scripts/glimpse command per case, niced, under timeout; peak = max RSS of the JVM (GNU time %M).',
       'Expected: 2 (refused with a message) or 0 (the input is legitimately fine); 0/2 either.', '',
       '| case | command | expected | exit | stderr lines | first stderr line | wall s | peak MB | verdict |',
       '|---|---|---|---|---|---|---|---|---|']
out += rows
out += ['', '## Measurements', '']
if 'measure_tokenize_10mb_line' in by_name:
    rc, wall, peak = by_name['measure_tokenize_10mb_line']
    size = os.path.getsize(tok_input)
    nwords = len(open(tok_input, 'rb').read().split())
    base = by_name.get('measure_tokenize_one_line', ('-', '0', '0'))
    if rc != 'skipped':
        w, b = float(wall), float(base[1])
        out.append('- tokenize, one caption of %.1f MB (%d words) on stdin: exit %s, %.2f s wall, peak %d MB '
                   '(one short caption: %.2f s, peak %d MB)' % (size / 2**20, nwords, rc, w, int(peak) / 1024,
                                                            b, int(base[2]) / 1024))
        out.append('  - including JVM start: %.0f words/s, %.2f MB/s' % (nwords / w, size / 2**20 / w))
        if w > b:
            out.append('  - without the start-up (wall minus the one-line run): %.0f words/s, %.2f MB/s'
                       % (nwords / (w - b), size / 2**20 / (w - b)))
for a, b in (('wide_20000x1', 'baseline_sample_png'),):
    if a in by_name and b in by_name and by_name[a][0] != 'skipped' and by_name[b][0] != 'skipped':
        out.append('- caption peak memory: 20000x1 PNG %d MB (%s s, exit %s) against datasets/samples/shapes_1.png '
                   '%d MB (%s s, exit %s)' % (int(by_name[a][2]) / 1024, by_name[a][1], by_name[a][0],
                                             int(by_name[b][2]) / 1024, by_name[b][1], by_name[b][0]))
out += ['', '## Findings (exit 1, stack trace, OutOfMemoryError, timeout/signal, peak > %d MB)' % limit_mb, '']
out += ['- ' + f for f in findings] or ['- none']
out += ['', '## Exit codes other than expected (not findings by themselves)', '']
out += ['- ' + n for n in notes] or ['- none']
text = '\n'.join(out) + '\n'
open(md_path, 'w', encoding='utf-8').write(text)
sys.stdout.write(text)
PY
echo "hostile-inputs: table written to $work/hostile.md" >&2
