package dev.shoal.platform.compat.pagure;

import dev.shoal.platform.api.PageRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Pagure's {@code pagination} object: page numbers plus absolute first/last/next/prev URLs keeping the filters. */
public final class PagurePagination {

    private PagurePagination() {
    }

    /**
     * @param url    absolute URL of the listing without query
     * @param params the filters to keep in the page URLs (null values are left out)
     */
    public static Map<String, Object> of(String url, Map<String, String> params, PageRequest page, long total) {
        int pages = (int) Math.max(1, (total + page.perPage() - 1) / page.perPage());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("first", link(url, params, page.perPage(), 1));
        p.put("last", link(url, params, page.perPage(), pages));
        p.put("next", page.page() < pages ? link(url, params, page.perPage(), page.page() + 1) : null);
        p.put("page", page.page());
        p.put("pages", pages);
        p.put("per_page", page.perPage());
        p.put("prev", page.page() > 1 ? link(url, params, page.perPage(), Math.min(page.page() - 1, pages)) : null);
        return p;
    }

    private static String link(String url, Map<String, String> params, int perPage, int page) {
        StringBuilder query = new StringBuilder();
        params.forEach((key, value) -> {
            if (value != null) {
                query.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
            }
        });
        return url + "?" + query + "per_page=" + perPage + "&page=" + page;
    }
}
