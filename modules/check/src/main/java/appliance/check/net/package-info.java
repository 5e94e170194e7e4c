/**
 * The checks as Netty pipelines on the shared epoll loops: {@link appliance.check.net.TcpProbe},
 * {@link appliance.check.net.HttpProbe}, each run bounded by its connect-timeout as a whole, and
 * {@link appliance.check.net.CheckRunner}, which schedules one check's runs on one loop and turns
 * their results into verdicts.
 */
package appliance.check.net;
