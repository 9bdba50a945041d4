package ai.glimpse.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * The image and parameters of a caption or explain request: the body's bytes (any image type, or
 * {@code application/octet-stream}), or the {@code image} field of a {@code multipart/form-data} form
 * (else its first file); parameters from the query string and the form's other fields. The body is
 * read only up to the size limit: a larger declared length is refused before reading (413).
 *
 * @param image  the image file's bytes
 * @param params parameter names to values (the form's fields over the query's)
 */
record Upload(byte[] image, Map<String, String> params) {
    /** Most parts of a multipart form. */
    private static final int MAX_PARTS = 16;

    static Upload read(Request request, long maxBodyBytes) {
        Map<String, String> params = new LinkedHashMap<>();
        Fields query;
        try {
            query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw new HttpError(400, "bad_request", "the query string cannot be read (" + e.getMessage() + ")");
        }
        query.forEach(f -> params.put(f.getName(), f.getValue()));
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        boolean multipart = mime.equals("multipart/form-data");
        if (!(mime.isEmpty() || mime.startsWith("image/") || mime.equals("application/octet-stream")
                || mime.equals("application/x-www-form-urlencoded") || multipart)) {
            throw new HttpError(415, "unsupported_type", "Content-Type " + mime + " is not accepted: send the image's bytes"
                    + " (image/png, image/jpeg, ..., or application/octet-stream) or a multipart/form-data form with an 'image' file");
        }
        byte[] body = body(request, maxBodyBytes);
        if (!multipart) {
            return new Upload(requireBytes(body), params);
        }
        return fromForm(body, type, maxBodyBytes, params);
    }

    private static byte[] body(Request request, long maxBodyBytes) {
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw tooLarge(maxBodyBytes, "declared " + declared + " bytes");
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes((int) maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw tooLarge(maxBodyBytes, "more sent");
            }
            return bytes;
        } catch (IOException e) {
            throw new HttpError(400, "bad_request", "the request body could not be read (" + e.getMessage() + ")");
        }
    }

    private static Upload fromForm(byte[] body, String type, long maxBodyBytes, Map<String, String> params) {
        String boundary = MultiPart.extractBoundary(type);
        if (boundary == null || boundary.isEmpty()) {
            throw new HttpError(400, "bad_request", "a multipart/form-data body needs a boundary in its Content-Type");
        }
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxMemoryFileSize(maxBodyBytes);                   // parts stay in memory: nothing on disk
        parser.setMaxLength(maxBodyBytes);
        parser.setMaxParts(MAX_PARTS);
        MultiPartFormData.Parts parts;
        try {
            parts = parser.parse(new ByteBufferContentSource(ByteBuffer.wrap(body))).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new HttpError(400, "bad_request", "the multipart/form-data body is malformed ("
                    + String.valueOf(cause.getMessage()).replace('\n', ' ') + ")");
        } catch (TimeoutException e) {
            throw new HttpError(400, "bad_request", "the multipart/form-data body is malformed (it does not end)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "stopping", "the server is stopping");
        }
        try (parts) {
            MultiPart.Part image = parts.getFirst("image");
            for (MultiPart.Part part : parts) {
                if (image == null && part.getFileName() != null) {
                    image = part;
                } else if (part != image && part.getFileName() == null && part.getName() != null) {
                    params.put(part.getName(), part.getContentAsString(StandardCharsets.UTF_8));
                }
            }
            if (image == null) {
                throw new HttpError(400, "bad_request", "the form has no 'image' field and no file");
            }
            ByteBuffer content;
            try {
                content = Content.Source.asByteBuffer(image.getContentSource());
            } catch (IOException e) {
                throw new HttpError(400, "bad_request", "the form's image cannot be read (" + e.getMessage() + ")");
            }
            byte[] bytes = new byte[content.remaining()];
            content.get(bytes);
            return new Upload(requireBytes(bytes), params);
        }
    }

    private static byte[] requireBytes(byte[] bytes) {
        if (bytes.length == 0) {
            throw new HttpError(400, "empty", "the request has no image: send the image file's bytes as the body,"
                    + " or a multipart/form-data form with an 'image' file");
        }
        return bytes;
    }

    private static HttpError tooLarge(long maxBodyBytes, String what) {
        return new HttpError(413, "too_large", String.format(Locale.ROOT, "the body is larger than the limit of %d bytes (%s)",
                maxBodyBytes, what));
    }

    /** A whole-number parameter, or {@code fallback} when absent. */
    int intParam(String name, int fallback) {
        String value = params.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new HttpError(400, "bad_parameter", name + " must be a whole number, got '" + abbreviate(value) + "'");
        }
    }

    /** A number parameter, or {@code fallback} when absent. */
    double doubleParam(String name, double fallback) {
        String value = params.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new HttpError(400, "bad_parameter", name + " must be a number, got '" + abbreviate(value) + "'");
        }
    }

    static String abbreviate(String value) {
        String line = value.replaceAll("\\p{Cntrl}", "?");
        return line.length() > 40 ? line.substring(0, 40) + "..." : line;
    }
}
