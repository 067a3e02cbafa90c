/*
 * What cppcheck needs to parse Xen's C without Xen's headers: the
 * iterators and annotations that would otherwise be "unknown macros".
 * Loop bodies are kept so that their code is still checked. Used on
 * both sides of the comparison alike (scripts/cppcheck.sh).
 */
#define XEN_GUEST_HANDLE_PARAM(t) t *
#define XEN_GUEST_HANDLE(t) t *
#define XEN_GUEST_HANDLE_64(t) t *
#define for_each_node_mask(n, m) for ( (n) = 0; (n) < 64 && (m).bits; (n)++ )
#define for_each_online_node(n) for ( (n) = 0; (n) < 64; (n)++ )
#define for_each_domain(d) for ( (d) = 0; (d); )
#define for_each_domain_in_cpupool(d, c) for ( (d) = (c) ? 0 : 0; (d); )
#define for_each_vcpu(d, v) for ( (v) = (d)->vcpu[0]; (v); )
#define for_each_cpu(c, m) for ( (c) = 0; (c) < 1 && (m); (c)++ )
#define for_each_online_cpu(c) for ( (c) = 0; (c) < 1; (c)++ )
#define page_list_for_each(p, l) for ( (p) = (l)->next; (p); )
#define page_list_for_each_safe(p, t, l) for ( (p) = (l)->next, (t) = (p); (p); )
#define nodes_and(a, b, c)
#define DEFINE_PER_CPU(t, n) t per_cpu__##n
#define DECLARE_PER_CPU(t, n) extern t per_cpu__##n
#define COMPAT_HANDLE_PARAM(t) t *
#define __init
#define __initdata
#define __read_mostly
#define cf_check
#define custom_param(n, f)
#define integer_param(n, v)
#define boolean_param(n, v)
#define size_param(n, v)
#define string_param(n, v)
#define __initcall(f)
#define presmp_initcall(f)
#define __section(s)
#define typeof __typeof__
