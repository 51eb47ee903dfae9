namespace Sdp.Hosting;
