// libcurl (libcurl4-openssl-dev), for SMTP. curl_easy_setopt is variadic, which Swift cannot call:
// one typed wrapper per kind of argument.
#include <curl/curl.h>

static inline CURLcode payrecon_curl_set_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode payrecon_curl_set_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode payrecon_curl_set_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode payrecon_curl_set_list(CURL *curl, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(curl, option, value);
}
typedef size_t (*payrecon_curl_read_callback)(char *buffer, size_t size, size_t count, void *context);
static inline CURLcode payrecon_curl_set_read_function(CURL *curl, payrecon_curl_read_callback callback) {
    return curl_easy_setopt(curl, CURLOPT_READFUNCTION, callback);
}
